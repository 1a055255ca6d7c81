import { createBrowserApi, tokenFromLocation } from './browser-api.ts';
import type { ViewerApi } from './types.ts';

/**
 * Browser mode for now. In Electron the preload exposes window.remnant (H6's RemnantApi); an adapter mapping it onto
 * ViewerApi goes here once the contract has the index + file channels (see the report).
 */
export function selectApi(): ViewerApi {
  return createBrowserApi(window.location.origin, tokenFromLocation(window.location.hash, window.location.search));
}
