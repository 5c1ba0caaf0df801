// Team figures for the last day, week or month: per severity how many items were raised and are open, and
// how long they waited to be claimed and to be resolved (median and 90th percentile), with the queue's
// length and its oldest open item. The same figures as `peerchat mod-report`.
import { h } from "../../dom.js";
import { buildFields, errorLine } from "./common.js";

const PERIODS = [["7", "Last 7 days"], ["1", "Last day"], ["30", "Last 30 days"], ["90", "Last 90 days"]];
const SEVERITY = { imminent: "Imminent crisis", crisis: "Crisis", abuse: "Abuse", report: "Reports", minor: "Minor" };

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "none yet";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function row(name, figures) {
  const claim = figures.time_to_claim;
  const resolve = figures.time_to_resolve;
  return h("tr", {},
    h("th", { scope: "row" }, SEVERITY[name] ?? name),
    h("td", {}, String(figures.raised)), h("td", {}, String(figures.open)),
    h("td", {}, duration(claim.median_seconds)), h("td", {}, duration(claim.p90_seconds)),
    h("td", {}, duration(resolve.median_seconds)), h("td", {}, duration(resolve.p90_seconds)));
}

export function figuresTab({ client }) {
  const period = buildFields([{ name: "days", label: "Period", type: "select", options: PERIODS }]);
  const summary = h("p", { role: "status" });
  const body = h("tbody", {});
  const error = errorLine();
  const table = h("table", { class: "figures" },
    h("caption", {}, "Review items by severity: how many, and how long they waited"),
    h("thead", {}, h("tr", {}, ...["Severity", "Raised", "Open now", "Claimed in (median)", "Claimed in (90 %)",
      "Resolved in (median)", "Resolved in (90 %)"].map((text) => h("th", { scope: "col" }, text)))),
    body);
  const element = h("div", {},
    h("h2", {}, "Team figures"),
    h("p", { class: "hint" }, "How fast the team reaches what people raise. Crisis items should be claimed in minutes."),
    h("form", { class: "admin-form inline-form", "aria-label": "Choose the period", onsubmit: (e) => e.preventDefault() },
      period.elements),
    summary, h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Team figures table" }, table),
    error);

  async function load() {
    body.setAttribute("aria-busy", "true");
    error.textContent = "";
    try {
      const report = await client.get(`/api/moderation/report?days=${period.read().days}`);
      const oldest = report.oldest_open_age_seconds;
      summary.textContent = `${report.queue_length} open in the queue now`
        + (oldest === null ? "." : `; the oldest has waited ${duration(oldest)}.`);
      body.replaceChildren(...Object.entries(report.severities).map(([name, figures]) => row(name, figures)));
      body.removeAttribute("aria-busy");
    } catch (err) {
      error.textContent = err.message;
    }
  }
  period.controls.days.addEventListener("change", load);
  return { element, load };
}
