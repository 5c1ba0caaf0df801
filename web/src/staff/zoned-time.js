// A date and a clock time in a named time zone (IANA, such as Europe/London) and the instant they stand
// for, from the browser's own time-zone data. A zone's offset from UTC changes with daylight saving, so it
// is looked up for that very day and time, never taken from today's.

const formatters = new Map();

function partsIn(zone, ms) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(ms).map(({ type, value }) => [type, Number(value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

// The clock reading in `zone` at an instant, written as if it were UTC (to compare readings by number).
function wallClock(zone, ms) {
  const p = partsIn(zone, ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

function offsetMinutes(zone, ms) {
  return Math.round((wallClock(zone, ms) - Math.floor(ms / 1000) * 1000) / 60000);
}

const pad = (n) => String(n).padStart(2, "0");

export function formatOffset(minutes) {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// The zone's own spelling of a name the browser knows ("europe/london" -> "Europe/London"), or null.
export function canonicalZone(name) {
  if (typeof name !== "string" || !name.trim()) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function browserTimeZone() {
  return canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone) || "UTC";
}

export function knownTimeZones() {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
}

// `date` ("2031-03-20") at `time` ("19:00") on the clocks of `zone`: {ms, offset, iso} where iso carries
// the zone's offset on that day ("2031-03-20T19:00:00+00:00", in summer "...+01:00"), so the server also
// reads the local time the facilitator meant. A time the clocks skip (they go forward) gives
// {skipped: true}; a time they show twice (they go back) is taken at its first showing.
export function zonedStart(date, time, zone) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
  const t = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(time || "");
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // A day either side of the moment lies beyond any offset (-12 to +14 hours): the offsets there are the
  // ones before and after a change of the clocks near that day, if there is one.
  const candidates = [...new Set([-1, 1].map((side) => wall - offsetMinutes(zone, wall + side * 86400000) * 60000))];
  const found = candidates.filter((ms) => wallClock(zone, ms) === wall).sort((a, b) => a - b);
  if (!found.length) return { skipped: true };
  const offset = offsetMinutes(zone, found[0]);
  return { ms: found[0], offset, iso: `${d[1]}-${d[2]}-${d[3]}T${t[1]}:${t[2]}:00${formatOffset(offset)}` };
}

// An instant as the date and time the clocks of `zone` show then: {date: "2031-03-20", time: "19:00"}.
export function localParts(iso, zone) {
  const p = partsIn(zone, new Date(iso).getTime());
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}
