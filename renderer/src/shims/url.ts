/**
 * Browser stand-in for Node's 'url' module as used by @oozcitak/url (via xmlbuilder2, via vtk.js XML readers that
 * Remnant never calls). The browser's URL parser does IDNA for us.
 */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return '';
  }
}

export function domainToUnicode(domain: string): string {
  return domain;
}

export default { domainToASCII, domainToUnicode };
