import { describe, expect, it } from 'vitest';
import { buildCsp, cspDirectives, securityHeaders } from './csp.ts';
import { isNavigationAllowed, isRequestAllowed, permissionDecision, windowOpenDecision } from './navigation-policy.ts';
import { checkSender } from './sender-policy.ts';
import { secureWebPreferences } from './window-options.ts';

describe('sender policy', () => {
  const policy = { trustedWebContentsIds: new Set([7]) };
  const top = { frameUrl: 'remnant://app/index.html', isMainFrame: true, webContentsId: 7 };

  it('accepts the top frame of our window on the app origin', () => {
    expect(checkSender(top, policy)).toEqual({ ok: true });
    expect(checkSender({ ...top, frameUrl: 'remnant://app/some/route?x=1#y' }, policy)).toEqual({ ok: true });
  });

  it('refuses foreign windows, sub-frames, vanished frames and foreign origins', () => {
    expect(checkSender({ ...top, webContentsId: 8 }, policy)).toEqual({ ok: false, reason: 'sender is not an application window' });
    expect(checkSender({ ...top, isMainFrame: false }, policy)).toEqual({ ok: false, reason: 'sender is a sub-frame' });
    expect(checkSender({ ...top, frameUrl: null }, policy)).toEqual({ ok: false, reason: 'sender frame is gone' });
    for (const frameUrl of ['https://evil.example/', 'file:///tmp/x.html', 'remnant://evil/index.html', 'http://localhost:5173/', 'about:blank', 'data:text/html,x']) {
      expect(checkSender({ ...top, frameUrl }, policy), frameUrl).toEqual({ ok: false, reason: 'sender origin is not the application' });
    }
  });

  it('accepts the dev server origin only when configured, and only that exact origin', () => {
    const dev = { ...policy, devServerOrigin: 'http://localhost:5173' };
    expect(checkSender({ ...top, frameUrl: 'http://localhost:5173/index.html' }, dev)).toEqual({ ok: true });
    expect(checkSender({ ...top, frameUrl: 'http://localhost:5174/' }, dev)).toMatchObject({ ok: false });
    expect(checkSender({ ...top, frameUrl: 'http://localhost.evil.example:5173/' }, dev)).toMatchObject({ ok: false });
  });
});

describe('navigation and network policy', () => {
  it('navigation stays inside the app origin', () => {
    expect(isNavigationAllowed('remnant://app/index.html')).toBe(true);
    expect(isNavigationAllowed('https://example.org/')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)')).toBe(false);
    expect(isNavigationAllowed('http://localhost:5173/')).toBe(false);
    expect(isNavigationAllowed('http://localhost:5173/', { devServerOrigin: 'http://localhost:5173' })).toBe(true);
  });

  it('window.open is always denied', () => {
    expect(windowOpenDecision('remnant://app/index.html')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('https://example.org')).toEqual({ action: 'deny' });
  });

  it('the renderer may load only its own origin and in-memory URLs', () => {
    expect(isRequestAllowed('remnant://app/assets/x.wasm')).toBe(true);
    expect(isRequestAllowed('blob:remnant://app/5b1f')).toBe(true);
    expect(isRequestAllowed('data:application/wasm;base64,AGFzbQ==')).toBe(true);
    expect(isRequestAllowed('devtools://devtools/bundled/x.js')).toBe(true);
    expect(isRequestAllowed('https://cdn.jsdelivr.net/npm/@itk-wasm/dicom/dist/pipelines/x.wasm')).toBe(false);
    expect(isRequestAllowed('http://127.0.0.1:8080/')).toBe(false);
    expect(isRequestAllowed('file:///home/user/patient.dcm')).toBe(false);
    expect(isRequestAllowed('ws://localhost:5173/')).toBe(false);
    expect(isRequestAllowed('ws://localhost:5173/', { devServerOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isRequestAllowed('::garbage')).toBe(false);
  });

  it('every permission is refused', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'unknown']) {
      expect(permissionDecision(permission)).toBe(false);
    }
  });
});

describe('CSP', () => {
  it('production policy is strict and self-only', () => {
    const d = cspDirectives();
    expect(d['default-src']).toEqual(["'self'"]);
    expect(d['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    const csp = buildCsp();
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/https?:|\*/);
    expect(csp.split('; ')).toContain("connect-src 'self' data:");
  });

  it('dev policy adds only the dev server and its websocket', () => {
    const csp = buildCsp({ devServerOrigin: 'http://localhost:5173/some/path' });
    expect(csp).toMatch(/connect-src 'self' data: http:\/\/localhost:5173 ws:\/\/localhost:5173/);
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' http:\/\/localhost:5173 'unsafe-inline'/);
  });

  it('security headers carry the CSP and lock down sniffing, referrers and openers', () => {
    const headers = securityHeaders();
    expect(headers['Content-Security-Policy']).toBe(buildCsp());
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});

describe('BrowserWindow webPreferences', () => {
  it('pins the hardening flags', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', false);
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(secureWebPreferences('/p', true).devTools).toBe(true);
  });
});
