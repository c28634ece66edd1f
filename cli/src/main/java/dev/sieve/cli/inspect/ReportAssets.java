package dev.sieve.cli.inspect;

/** The inline stylesheet and script of the {@link ReportHtml} page (nothing loaded from the network). */
final class ReportAssets {
  private ReportAssets() {}

  /** The page's stylesheet. */
  static final String CSS = """
      :root{--fg:#1d2330;--muted:#5d6678;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:22px 32px 10px;background:#1d2330;color:#fff}
      header h1{margin:0;font-size:22px;font-weight:600}
      header .sub{margin:4px 0 10px;color:#c5cbd8}
      header code{color:#fff}
      main{max-width:1100px;margin:0 auto;padding:18px 24px 40px}
      section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
      h2{font-size:16px;margin:0 0 6px}
      .lead{color:var(--muted);margin:0 0 10px}
      .empty{color:var(--muted);font-style:italic}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;background:none;border:none;padding:0}
      .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
      .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
      .card .v{font-size:24px;font-weight:600;margin:2px 0}
      .card .n{color:var(--muted);font-size:12px}
      .multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px 16px}
      .two{display:grid;grid-template-columns:repeat(auto-fit,minmax(470px,1fr));gap:16px}
      figure{margin:0}
      figcaption{font-size:12px;color:var(--muted);margin:0 0 2px}
      svg.chart{max-width:100%;height:auto;display:block}
      svg .label,svg .value,svg .tick,svg .legend,svg .axis-label,svg .empty{font-size:11px;fill:#3b4252}
      svg .value{fill:var(--muted)}
      svg .grid{stroke:#eceef2;stroke-width:1}
      svg .bar{transition:opacity .1s}
      svg.hovering .bar{opacity:.45}
      svg.hovering .bar.hot{opacity:1}
      table{border-collapse:collapse;width:100%;margin-top:8px;font-size:13px}
      th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}
      th{color:var(--muted);font-weight:600}
      .r{text-align:right;font-variant-numeric:tabular-nums}
      tr.absent td{color:#9aa1ae}
      .st-succeeded{color:#1a7f37}.st-failed{color:#b42318}.st-running{color:#9a6700}
      footer{text-align:center;color:var(--muted);font-size:12px;padding:0 0 24px}
      """;

  /** Hover highlighting; then marks #render-status so a headless browser can tell the script ran cleanly. */
  static final String SCRIPT = """
      (function () {
        var status = document.getElementById('render-status');
        window.addEventListener('error', function (e) {
          status.setAttribute('data-status', 'error');
          status.textContent = 'script error: ' + e.message;
        });
        var charts = document.querySelectorAll('svg.chart');
        var bars = 0, lines = 0, perChart = [];
        charts.forEach(function (svg) {
          var b = svg.querySelectorAll('.bar');
          var l = svg.querySelectorAll('.line');
          bars += b.length;
          lines += l.length;
          svg.setAttribute('data-bars-rendered', String(b.length));
          perChart.push(svg.getAttribute('data-chart') + ':' + (b.length + l.length));
          b.forEach(function (r) {
            r.addEventListener('mouseenter', function () { svg.classList.add('hovering'); r.classList.add('hot'); });
            r.addEventListener('mouseleave', function () { svg.classList.remove('hovering'); r.classList.remove('hot'); });
          });
        });
        status.setAttribute('data-charts', String(charts.length));
        status.setAttribute('data-bars', String(bars));
        status.setAttribute('data-lines', String(lines));
        status.setAttribute('data-per-chart', perChart.join(' '));
        status.setAttribute('data-status', 'ok');
        status.textContent = 'rendered ' + charts.length + ' charts (' + bars + ' bars, ' + lines + ' lines)';
      })();
      """;
}
