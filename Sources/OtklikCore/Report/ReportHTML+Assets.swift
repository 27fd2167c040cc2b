extension ReportHTML {
    /// The page's only style sheet: system fonts, no external resources.
    static let css = """
    :root { --ink:#1d2733; --muted:#5f6b7a; --line:#dde3ea; --bg:#f4f6f9; --accent:#1f4e79; --bad:#c0392b; --good:#2e7d32; }
    * { box-sizing: border-box; }
    body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
           color:var(--ink); background:var(--bg); font-size:14px; line-height:1.4; }
    header { display:flex; gap:18px; align-items:center; padding:14px 28px; background:var(--accent); color:#fff; }
    header .brand { font-weight:700; font-size:18px; padding:6px 12px; border:2px solid rgba(255,255,255,.7); border-radius:6px; letter-spacing:.5px; }
    header h1 { margin:0; font-size:21px; font-weight:600; }
    header .sub { opacity:.85; font-size:13px; margin-top:2px; }
    main { padding:18px 28px 8px; max-width:1400px; }
    section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 18px 16px; margin-bottom:16px; }
    h2 { margin:0 0 6px; font-size:17px; font-weight:600; }
    .hint { margin:0 0 10px; color:var(--muted); font-size:12.5px; }
    .empty { color:var(--muted); margin:6px 0; }
    .cards { display:grid; grid-template-columns:repeat(6, 1fr); gap:12px; background:none; border:none; padding:0; }
    .card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; }
    .card .v { font-size:26px; font-weight:700; }
    .card .l { color:var(--muted); font-size:12.5px; }
    .card.bad .v { color:var(--bad); } .card.good .v { color:var(--good); }
    .scroll { overflow-x:auto; }
    .heatwrap { max-height:780px; overflow-y:auto; }
    table.heat thead th { position:sticky; top:0; background:#fff; z-index:1; }
    table { border-collapse:collapse; }
    table.heat th.cat { vertical-align:bottom; padding:4px 2px; min-width:44px; max-width:52px; }
    table.heat th.cat span { writing-mode:vertical-rl; transform:rotate(180deg); white-space:nowrap; font-weight:500; font-size:12px; display:inline-block; max-height:240px; overflow:hidden; text-overflow:ellipsis; }
    table.heat th.cat i, .legend i, .chip i, figcaption i { display:inline-block; width:9px; height:9px; border-radius:2px; margin:0 5px 0 0; vertical-align:baseline; }
    table.heat th.cat span i { margin:0 0 5px 0; }
    table.heat td { text-align:center; min-width:44px; height:28px; border:1px solid #fff; font-variant-numeric:tabular-nums; font-weight:600; }
    table.heat td.zero { color:#c3cad3; font-weight:400; background:#fafbfc; }
    table.heat th.rowhead { text-align:left; padding:4px 12px 4px 4px; white-space:nowrap; font-weight:500; }
    table.heat td.total, table.heat th.total { background:#eef2f6; color:var(--ink); font-weight:700; padding:0 8px; }
    table.heat tfoot td, table.heat tfoot th { border-top:2px solid var(--line); font-weight:700; color:var(--muted); text-align:center; }
    table.heat tfoot th.rowhead { text-align:left; }
    table.sortable thead th { cursor:pointer; user-select:none; }
    table.sortable thead th:hover { background:#eef2f6; }
    th[aria-sort="descending"]::after { content:" ▼"; font-size:10px; color:var(--accent); }
    th[aria-sort="ascending"]::after { content:" ▲"; font-size:10px; color:var(--accent); }
    .scale { display:flex; align-items:center; gap:3px; margin-top:10px; font-size:12px; color:var(--muted); }
    .scale b { display:inline-block; min-width:34px; text-align:center; padding:2px 4px; font-weight:600; }
    .scale span { margin:0 6px; }
    svg.chart { width:100%; height:auto; display:block; }
    svg .grid { stroke:#e6eaef; stroke-width:1; }
    svg .weekend { fill:#f1f3f6; }
    svg .axis { fill:var(--muted); font-size:11px; }
    svg .val { fill:var(--ink); font-size:10px; }
    .legend { display:flex; flex-wrap:wrap; gap:6px 16px; margin:8px 0 4px; font-size:12.5px; }
    .multiples { display:grid; grid-template-columns:repeat(auto-fill, minmax(230px, 1fr)); gap:10px 18px; margin-top:14px; }
    figure { margin:0; } figcaption { font-size:12px; color:var(--ink); white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
    figcaption b { color:var(--muted); font-weight:600; }
    svg.spark { width:100%; height:54px; display:block; } svg.spark .base { stroke:#cfd6de; }
    .mapgrid { display:flex; gap:22px; align-items:flex-start; }
    .side { min-width:260px; } h3 { margin:4px 0 8px; font-size:14px; }
    ul.vlegend { list-style:none; margin:0 0 10px; padding:0; font-size:13px; }
    ul.vlegend li { display:flex; align-items:center; padding:2px 0; border-bottom:1px dotted var(--line); }
    ul.vlegend li i { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:7px; }
    ul.vlegend li b { margin-left:auto; padding-left:14px; font-variant-numeric:tabular-nums; }
    svg.map { max-width:100%; height:auto; display:block; background:#fbfcfd; border:1px solid var(--line); border-radius:6px; }
    svg.map .land { fill:#eef3ea; stroke:#d5dccf; }
    svg.map circle { stroke:#fff; stroke-width:1; fill-opacity:.85; }
    svg.map .place { font-size:12.5px; font-weight:600; fill:#2b3440; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
    table.list { width:100%; font-size:13px; }
    table.list th { text-align:left; color:var(--muted); font-weight:600; border-bottom:2px solid var(--line); padding:6px 8px; white-space:nowrap; }
    table.list td { border-bottom:1px solid var(--line); padding:6px 8px; vertical-align:top; }
    table.list td.text { max-width:560px; }
    table.list td.num { text-align:right; font-variant-numeric:tabular-nums; }
    .nowrap { white-space:nowrap; } .late { color:var(--bad); font-weight:600; }
    .place-line { color:var(--muted); font-size:12px; }
    a { color:var(--accent); white-space:nowrap; }
    .chip { white-space:nowrap; }
    .sev { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; font-weight:600; white-space:nowrap; }
    .sev-low { background:#e8f0e8; color:#2e6b30; } .sev-medium { background:#fff3d6; color:#8a5a00; }
    .sev-high { background:#fde2d6; color:#b03a12; } .sev-critical { background:#c0392b; color:#fff; }
    .count { font-size:13px; padding:1px 8px; border-radius:10px; vertical-align:middle; }
    .count.bad { background:#fde2e0; color:var(--bad); }
    footer { color:var(--muted); font-size:12px; padding:4px 28px 24px; }
    @media print { body { background:#fff; } section { break-inside:avoid; } }

    """

    /// Click a column header to sort its table; numbers by `data-v`, text in Russian order.
    static let script = """
    document.querySelectorAll('table.sortable').forEach(function (table) {
      var head = table.tHead.rows[0];
      Array.prototype.forEach.call(head.cells, function (th, col) {
        th.addEventListener('click', function () {
          var desc = th.getAttribute('aria-sort') !== 'descending';
          Array.prototype.forEach.call(head.cells, function (c) { c.removeAttribute('aria-sort'); });
          th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          function key(r) { var c = r.cells[col]; var v = c.getAttribute('data-v'); return v === null ? c.textContent.trim() : v; }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
            var cmp = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : x.localeCompare(y, 'ru');
            return desc ? -cmp : cmp;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });

    """
}
