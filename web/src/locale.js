// The browser's language, as the server's `auth.locale` expects it (server/identity/accounts.py LOCALE:
// a language and at most one more subtag, such as "en-GB"). The server picks the crisis lines for the
// region from it: without it everyone would be shown the default country's numbers.

// "en-GB" stays "en-GB"; "zh-Hant-TW" becomes "zh-TW"; "de-DE-u-co-phonebk" becomes "de-DE"; "en_gb"
// becomes "en-GB". Anything we can't read is left out, and the server uses its default.
export function normaliseLocale(raw) {
  if (typeof raw !== "string") return undefined;
  const parts = raw.trim().split(/[-_]/);
  const language = parts[0];
  if (!/^[A-Za-z]{2,3}$/.test(language)) return undefined;
  let region = null;
  for (const part of parts.slice(1)) {
    if (part.length === 1) break; // an extension ("u-…", "x-…") follows: no region in it
    if (/^[A-Za-z]{2}$/.test(part) || /^[0-9]{3}$/.test(part)) {
      region = part.toUpperCase();
      break;
    }
  }
  return region ? `${language.toLowerCase()}-${region}` : language.toLowerCase();
}

export function browserLocale() {
  const nav = typeof navigator === "undefined" ? null : navigator;
  return normaliseLocale(nav?.language) ?? normaliseLocale(nav?.languages?.[0]);
}
