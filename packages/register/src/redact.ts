// The userinfo of a URL (`user:password@`, or a token alone before `@`), also in text that does not
// parse as a URL: everything between the scheme's `//` (or the start) and the last `@` before the path.
const USERINFO = /^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/|)([^/?#]*)@/;

/**
 * A URL (or what was meant as one) with its credentials replaced by `***`: the user name is
 * kept when a password follows it, a lone user part is hidden whole since tokens are passed so.
 * The one redaction every message that shows an endpoint goes through.
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon > 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
  });
}
