// The report's behaviour: draws the Vega-Lite charts (vegaEmbed is inlined above this script) and runs the event
// table: a search over every field, a modality filter, sorting by any column, pages of PAGE_ROWS rows.
// When everything is drawn, document.body.dataset.ready is "true" and window.reportTimings.ready holds the time
// since navigation started, in milliseconds (the browser test and the benchmark read both).
"use strict";
const PAGE_ROWS = 100;

function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

function drawCharts() {
  const specs = readJson("chart-specs");
  return Promise.all(Object.entries(specs).map(([id, spec]) =>
    vegaEmbed("#" + id, spec, { renderer: "canvas", actions: false })));
}

class EventTable {
  constructor(data) {
    this.columns = data.columns;
    this.rows = data.rows;
    this.shown = this.rows;
    this.sortColumn = null;
    this.descending = false;
    this.page = 0;
    this.index = Object.fromEntries(this.columns.map((name, i) => [name, i]));
    this.haystacks = this.rows.map((row) => row.join("\u0001").toLowerCase());
    this.body = document.querySelector("#events tbody");
    this.count = document.getElementById("event-count");
    this.bindControls();
  }

  bindControls() {
    document.getElementById("event-search").addEventListener("input", () => this.filter());
    document.getElementById("event-modality").addEventListener("change", () => this.filter());
    document.getElementById("page-previous").addEventListener("click", () => this.turn(-1));
    document.getElementById("page-next").addEventListener("click", () => this.turn(1));
    document.querySelectorAll("#events th[data-column]").forEach((header) =>
      header.addEventListener("click", () => this.sort(header)));
  }

  filter() {
    const text = document.getElementById("event-search").value.trim().toLowerCase();
    const modality = document.getElementById("event-modality").value;
    const at = this.index.modality;
    this.shown = this.rows.filter((row, i) =>
      (!text || this.haystacks[i].includes(text)) && (!modality || row[at] === modality));
    this.applySort();
    this.page = 0;
    this.render();
  }

  sort(header) {
    const column = this.index[header.dataset.column];
    this.descending = this.sortColumn === column ? !this.descending : false;
    this.sortColumn = column;
    document.querySelectorAll("#events th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", this.descending ? "descending" : "ascending");
    this.applySort();
    this.page = 0;
    this.render();
  }

  applySort() {
    if (this.sortColumn === null) return;
    const column = this.sortColumn;
    const sign = this.descending ? -1 : 1;
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    this.shown = [...this.shown].sort((a, b) => sign * collator.compare(String(a[column]), String(b[column])));
  }

  turn(step) {
    const last = Math.max(0, Math.ceil(this.shown.length / PAGE_ROWS) - 1);
    this.page = Math.min(last, Math.max(0, this.page + step));
    this.render();
  }

  render() {
    const start = this.page * PAGE_ROWS;
    const fragment = document.createDocumentFragment();
    for (const row of this.shown.slice(start, start + PAGE_ROWS)) fragment.appendChild(this.renderRow(row));
    this.body.replaceChildren(fragment);
    const end = Math.min(start + PAGE_ROWS, this.shown.length);
    this.count.textContent = `${this.shown.length} of ${this.rows.length} events` +
      (this.shown.length ? ` (showing ${start + 1} to ${end})` : "");
  }

  renderRow(row) {
    const tr = document.createElement("tr");
    for (const header of document.querySelectorAll("#events th[data-column]")) {
      const name = header.dataset.column;
      const td = document.createElement("td");
      if (name === "sentence") {
        td.className = "sentence";
        this.markTrigger(td, row);
      } else {
        td.textContent = row[this.index[name]];
      }
      if (name === "modality") td.className = "modality-" + row[this.index[name]];
      tr.appendChild(td);
    }
    return tr;
  }

  markTrigger(td, row) {
    // Text nodes only, never HTML: the sentences are news text, not markup.
    const sentence = row[this.index.sentence];
    const from = row[this.index.trigger_at];
    const to = row[this.index.trigger_end];
    const mark = document.createElement("mark");
    mark.textContent = sentence.slice(from, to);
    td.append(sentence.slice(0, from), mark, sentence.slice(to));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const table = new EventTable(readJson("event-rows"));
  table.render();
  drawCharts().then(() => {
    window.reportTimings = { ready: performance.now() };
    document.body.dataset.ready = "true";
  }).catch((error) => {
    document.body.dataset.ready = "failed";
    console.error("a chart could not be drawn:", error);
  });
});
