// report.js - the interactive parts of the casebook HTML report, inlined into every page.
//
// The page is complete without this script (it is rendered in C++); the script adds the
// matrix's filter chips, search and sorting, jumps from a stack frame to its source line,
// and copy buttons. Opening the page as index.html#selftest runs selftest() below, which
// drives those parts with real DOM events and writes its verdict into #selftest-result; the
// browser test (reports/html/tests/browser_test.sh) reads it from chromium's --dump-dom.
(function () {
  'use strict';

  // Everything that goes wrong on the page, for the self-test to report.
  const problems = [];
  window.addEventListener('error', (e) => problems.push('error: ' + e.message));
  document.addEventListener('securitypolicyviolation', (e) =>
    problems.push('blocked by the content policy: ' + e.blockedURI + ' (' + e.violatedDirective + ')'));

  const table = document.getElementById('matrix');
  const rows = table ? Array.from(table.tBodies[0].rows) : [];
  const search = document.getElementById('matrix-search');
  const counter = document.getElementById('matrix-count');
  const filters = { category: new Set(), verdict: new Set(), detector: new Set() };

  // Chips within a group widen the selection (any of them), groups narrow it (all groups).
  // Detector chips also hide the other detectors' columns; a verdict chip then keeps a row
  // when one of its shown cells has that verdict.
  function applyFilters() {
    if (!table) return;
    const query = (search ? search.value : '').trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      let visible = filters.category.size === 0 || filters.category.has(row.dataset.category);
      if (visible && query) visible = row.dataset.search.toLowerCase().includes(query);
      if (visible && (filters.detector.size > 0 || filters.verdict.size > 0)) {
        const cells = Array.from(row.querySelectorAll('td.cell')).filter(
          (c) => filters.detector.size === 0 || filters.detector.has(c.dataset.detector));
        visible = cells.some((c) => filters.verdict.size > 0
          ? filters.verdict.has(c.dataset.verdict)
          : c.dataset.verdict !== '' && c.dataset.verdict !== 'skipped');
      }
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const el of table.querySelectorAll('[data-detector]')) {
      el.classList.toggle('col-hidden', filters.detector.size > 0 && !filters.detector.has(el.dataset.detector));
    }
    if (counter) counter.textContent = shown + ' of ' + rows.length + ' cases';
  }

  function toggleChip(chip) {
    const group = filters[chip.dataset.group];
    if (!group) return;
    const on = chip.getAttribute('aria-pressed') !== 'true';
    chip.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (on) group.add(chip.dataset.value); else group.delete(chip.dataset.value);
    applyFilters();
  }

  function resetFilters() {
    for (const chip of document.querySelectorAll('.chip[aria-pressed="true"]')) chip.setAttribute('aria-pressed', 'false');
    for (const group of Object.values(filters)) group.clear();
    if (search) search.value = '';
    applyFilters();
  }

  // Failures sort first, then errors, detections, clean cells, skips, cells never run.
  const RANK = { 'missed': 0, 'false-positive': 0, 'error': 1, 'detected': 2, 'known-false-positive': 3, 'clean': 3, 'skipped': 4, '': 5 };
  let sortKey = null;
  let sortDirection = 1;

  function sortValues(row, key) {
    if (key === 'name') return [row.dataset.case];
    if (key === 'category') return [Number(row.dataset.order)];
    if (key === 'result') return [-Number(row.dataset.failed)];
    const detector = key.slice('det:'.length);
    const rank = (variant) => {
      const cell = row.querySelector('td.cell[data-detector="' + CSS.escape(detector) + '"][data-variant="' + variant + '"]');
      return cell ? RANK[cell.dataset.verdict] ?? 5 : 5;
    };
    return [rank('broken'), rank('fixed')];
  }

  function sortBy(header) {
    const key = header.dataset.sort;
    sortDirection = key === sortKey ? -sortDirection : 1;
    sortKey = key;
    for (const th of table.querySelectorAll('th.sortable')) th.removeAttribute('aria-sort');
    header.setAttribute('aria-sort', sortDirection > 0 ? 'ascending' : 'descending');
    const sorted = rows.slice().sort((a, b) => {
      const va = sortValues(a, key);
      const vb = sortValues(b, key);
      for (let i = 0; i < va.length; i += 1) {
        if (va[i] < vb[i]) return -sortDirection;
        if (va[i] > vb[i]) return sortDirection;
      }
      return Number(a.dataset.order) - Number(b.dataset.order);
    });
    const body = table.tBodies[0];
    for (const row of sorted) body.appendChild(row);
  }

  // Brings a source line into view and marks it (and its code cell) until the next jump.
  function highlightLine(id, scroll) {
    const target = document.getElementById(id);
    if (!target) return false;
    for (let el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === 'DETAILS') el.open = true;
    }
    for (const el of document.querySelectorAll('.hl')) el.classList.remove('hl');
    target.classList.add('hl');
    const code = target.nextElementSibling;
    if (code && code.classList.contains('code')) code.classList.add('hl');
    if (scroll) target.scrollIntoView({ block: 'center' });
    return true;
  }

  function copyWithSelection(text) {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  // Selects the command's text on the page, so Ctrl+C copies it when no copy API would.
  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    const code = button.parentElement.querySelector('code');
    if (!code) return;
    const show = (label, copied) => {
      button.classList.toggle('copied', copied);
      button.textContent = label;
      setTimeout(() => { button.classList.remove('copied'); button.textContent = 'copy'; }, 1500);
    };
    const fallback = () => {
      if (copyWithSelection(code.textContent)) {
        show('copied', true);
      } else {
        selectText(code);
        show('press Ctrl+C', false);
      }
    };
    // The async clipboard needs a secure context and permission; a file:// page may have
    // neither, so fall back to the selection-based copy, and last to selecting the text.
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.textContent).then(() => show('copied', true), fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener('click', (e) => {
    const target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    const frame = target.closest('a.frame-link');
    if (frame) {
      e.preventDefault();
      if (highlightLine(frame.dataset.line, true)) history.replaceState(null, '', '#' + frame.dataset.line);
      // A timeline step keeps its row marked, to find the way back from the source.
      const step = frame.closest('tr.tl-step');
      if (step) step.classList.add('hl');
      return;
    }
    const chip = target.closest('button.chip');
    if (chip) { toggleChip(chip); return; }
    const button = target.closest('button.copy');
    if (button) { copy(button); return; }
    if (target.closest('#matrix-reset')) { resetFilters(); return; }
    const header = target.closest('th.sortable');
    if (header && table && table.contains(header)) sortBy(header);
  });
  if (search) search.addEventListener('input', applyFilters);

  // --- self-test (index.html#selftest) ---------------------------------------------------
  function selftest() {
    const lines = [];
    let failures = 0;
    const check = (ok, what) => {
      lines.push((ok ? 'ok    ' : 'FAIL  ') + what);
      if (!ok) failures += 1;
    };
    const click = (el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
    const visible = () => rows.filter((r) => !r.hidden);

    const fetched = performance.getEntriesByType('resource').map((r) => r.name);
    check(fetched.length === 0, 'nothing was fetched' + (fetched.length ? ': ' + fetched.join(', ') : ''));
    const remote = Array.from(document.querySelectorAll('[src], link[href]')).filter((el) =>
      /^(https?:)?\/\//i.test(el.getAttribute('src') || el.getAttribute('href') || ''));
    check(remote.length === 0, 'no element loads anything from the network');

    const cases = table ? Number(table.dataset.cases) : -1;
    const sections = document.querySelectorAll('section.case');
    check(rows.length === cases && sections.length === cases,
      'the matrix has one row per case (' + rows.length + ' rows, ' + sections.length + ' case sections, ' + cases + ' cases)');
    check(rows.every((r) => document.getElementById('case-' + r.dataset.case)), 'every row has its case section');

    // Every chip group is tried; each chip that should narrow the rows must do exactly that.
    let narrowed = 0;
    for (const chip of document.querySelectorAll('.chip')) {
      const before = visible().length;
      click(chip);
      const after = visible();
      if (chip.dataset.group === 'category') {
        const want = rows.filter((r) => r.dataset.category === chip.dataset.value);
        check(after.length === want.length && after.every((r) => r.dataset.category === chip.dataset.value),
          'category chip "' + chip.dataset.value + '" shows its ' + want.length + ' row(s) (' + after.length + ' shown)');
      } else if (chip.dataset.group === 'detector') {
        const hidden = table.querySelectorAll('th.det.col-hidden').length;
        check(hidden === table.querySelectorAll('th.det').length - 1,
          'detector chip "' + chip.dataset.value + '" leaves only its column (' + hidden + ' hidden)');
        check(after.every((r) => r.querySelector('td.cell[data-detector="' + CSS.escape(chip.dataset.value) + '"]:not([data-verdict="skipped"]):not([data-verdict=""])')),
          'detector chip "' + chip.dataset.value + '" keeps only rows it ran on (' + after.length + ' shown)');
      } else {
        check(after.every((r) => r.querySelector('td.cell[data-verdict="' + CSS.escape(chip.dataset.value) + '"]')),
          'verdict chip "' + chip.dataset.value + '" keeps only rows with that verdict (' + after.length + ' shown)');
      }
      if (after.length !== before) narrowed += 1;
      click(chip);
      check(visible().length === rows.length, 'clicking "' + chip.dataset.value + '" again shows every row');
    }
    check(rows.length < 2 || narrowed > 0, 'the chips change the visible rows (' + narrowed + ' chip(s) did)');

    if (search && rows.length > 0) {
      const name = rows[rows.length - 1].dataset.case;
      search.value = name;
      search.dispatchEvent(new Event('input', { bubbles: true }));
      const shown = visible();
      check(shown.length >= 1 && shown.every((r) => r.dataset.search.toLowerCase().includes(name)),
        'searching "' + name + '" shows only matching rows (' + shown.length + ')');
      search.value = '';
      search.dispatchEvent(new Event('input', { bubbles: true }));
    }

    const byName = table && table.querySelector('th.sortable[data-sort="name"]');
    if (byName) {
      click(byName);
      const names = Array.from(table.tBodies[0].rows).map((r) => r.dataset.case);
      check(names.every((n, i) => i === 0 || names[i - 1] <= n), 'sorting by case orders the rows by name');
      click(byName);
      const reversed = Array.from(table.tBodies[0].rows).map((r) => r.dataset.case);
      check(reversed.every((n, i) => i === 0 || reversed[i - 1] >= n), 'sorting again reverses the order');
      click(table.querySelector('th.sortable[data-sort="category"]'));
    }

    const links = Array.from(document.querySelectorAll('a.frame-link'));
    const link = links.find((a) => { const t = document.getElementById(a.dataset.line); return t && t.closest('table.sbs'); }) || links[0];
    // A report of clean runs only (a filter of fixed variants, say) has no stack to click;
    // one with stacks must link them to the source.
    const stacks = document.querySelectorAll('.stack').length;
    check(Boolean(link) || stacks === 0,
      stacks === 0 ? 'no stack in this report, so no frame to click'
                   : 'some stack frame links to a source line (' + links.length + ' links)');
    if (link) {
      window.scrollTo(0, 0);
      click(link);
      const line = document.getElementById(link.dataset.line);
      check(Boolean(line) && line.classList.contains('hl') && line.nextElementSibling.classList.contains('hl'),
        'clicking frame ' + link.textContent + ' highlights line ' + link.dataset.line);
      const box = line ? line.getBoundingClientRect() : { top: -1, bottom: -1 };
      check(box.top >= 0 && box.bottom <= window.innerHeight,
        'and scrolls it into view (at ' + Math.round(box.top) + 'px of ' + window.innerHeight + 'px)');
    }

    // The model's interleavings: a column per thread, one operation per step row, marks in
    // words, and a step's link highlights its source line like a stack frame's.
    const timelines = Array.from(document.querySelectorAll('table.timeline'));
    for (const t of timelines) {
      const heads = t.tHead.rows[0].cells.length - 1;
      const steps = Array.from(t.tBodies[0].rows);
      check(heads === Number(t.dataset.threads) && steps.length === Number(t.dataset.steps) &&
        steps.every((r) => r.querySelectorAll('td.op').length === 1 && r.cells.length === heads + 1),
        'timeline has ' + heads + ' thread column(s) and ' + steps.length + ' step row(s), one operation each');
      check(Array.from(t.querySelectorAll('.mark')).every((m) => m.textContent.trim().length > 1),
        'timeline marks say what they mean in words (' + t.querySelectorAll('.mark').length + ' marks)');
    }
    const stepLink = document.querySelector('table.timeline a.frame-link');
    if (stepLink) {
      window.scrollTo(0, 0);
      click(stepLink);
      const line = document.getElementById(stepLink.dataset.line);
      check(Boolean(line) && line.classList.contains('hl') && line.nextElementSibling.classList.contains('hl') &&
        stepLink.closest('tr').classList.contains('hl'),
        'clicking timeline step ' + stepLink.closest('tr').cells[0].textContent + ' (' + stepLink.textContent +
        ') highlights line ' + stepLink.dataset.line);
    } else {
      lines.push('note  ' + (timelines.length ? 'no timeline step links to the source' : 'no timeline in this report'));
    }

    // A passing verdict is never painted in a failure's colour, wherever it shows (the legend
    // names every kind, so each is tried even when the run has none of it).
    const colourOf = (cls) => {
      const probe = document.createElement('span');
      probe.className = 'badge ' + cls;
      document.body.appendChild(probe);
      const colour = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return colour;
    };
    const failing = new Set(['v-missed', 'v-false-positive', 'v-error'].map(colourOf));
    for (const cls of ['v-detected', 'v-clean', 'v-known-false-positive']) {
      const painted = Array.from(document.querySelectorAll('.' + cls));
      check(painted.length > 0 && painted.every((el) => !failing.has(getComputedStyle(el).backgroundColor)),
        'passing ' + cls.slice(2) + ' is not painted in a failure colour (' + painted.length + ' elements)');
    }

    const commands = Array.from(document.querySelectorAll('.cmd'));
    check(commands.every((c) => c.querySelector('code') && c.querySelector('button.copy')),
      'every command has a copy button (' + commands.length + ' commands)');
    const noErrors = () =>
      check(problems.length === 0, 'no errors on the page' + (problems.length ? ': ' + problems.join('; ') : ''));
    const button = document.querySelector('.cmd button.copy');
    if (!button) {
      noErrors();
      finish(lines, failures);
      return;
    }
    // Copying is asynchronous (the clipboard API): wait for the button to report, at most 2 s.
    // It either copied, or left the command selected for Ctrl+C.
    const text = button.parentElement.querySelector('code').textContent;
    click(button);
    const started = Date.now();
    const wait = () => {
      const selected = window.getSelection().toString() === text;
      if (button.textContent !== 'copy' || Date.now() - started > 2000) {
        check(button.classList.contains('copied') || selected,
          'the copy button copies its command or selects it (button says "' + button.textContent + '")');
        noErrors();
        finish(lines, failures);
      } else {
        setTimeout(wait, 20);
      }
    };
    wait();
  }

  function finish(lines, failures) {
    const result = document.createElement('pre');
    result.id = 'selftest-result';
    result.dataset.status = failures === 0 ? 'pass' : 'fail';
    result.textContent = 'SELFTEST ' + (failures === 0 ? 'PASS' : 'FAIL') + ' (' + lines.length + ' checks)\n' + lines.join('\n');
    document.body.appendChild(result);
    console.log('casebook-selftest: ' + (failures === 0 ? 'PASS' : 'FAIL') + ', ' + lines.length + ' checks, ' + failures + ' failed');
  }

  // index.html#focus:<case> shows that case alone: a page to send someone about one bug.
  function applyFocus() {
    const name = location.hash.startsWith('#focus:') ? decodeURIComponent(location.hash.slice('#focus:'.length)) : '';
    const section = name ? document.getElementById('case-' + name) : null;
    document.body.classList.toggle('focus', Boolean(section));
    for (const s of document.querySelectorAll('section.case.focused')) s.classList.remove('focused');
    if (section) {
      section.classList.add('focused');
      window.scrollTo(0, 0);
    }
  }
  window.addEventListener('hashchange', applyFocus);

  window.addEventListener('load', () => {
    applyFocus();
    if (location.hash === '#selftest') {
      selftest();
    } else if (location.hash.startsWith('#L-')) {
      highlightLine(decodeURIComponent(location.hash.slice(1)), true);
    }
  });
  applyFilters();
})();
