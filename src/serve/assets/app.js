// rubric serve: feedback while a student writes. Plain JavaScript, no build step, no request to
// any host but this server. The API is described in docs/serve.md.
'use strict';

(() => {
  const DEBOUNCE_MS = 300;
  const STATUS = {
    covered: { icon: '✓', text: 'Covered' },
    partial: { icon: '◐', text: 'Partly made' },
    negated: { icon: '✗', text: 'Contradicted' },
    missing: { icon: '○', text: 'Missing' },
  };
  const MAX_EVIDENCE_SHOWN = 3;

  const el = (id) => document.getElementById(id);
  const ui = {
    select: el('rubric-select'),
    title: el('title'),
    questions: el('questions'),
    editor: el('editor'),
    answer: el('answer'),
    highlights: el('highlights'),
    format: el('format'),
    file: el('file'),
    fileStatus: el('file-status'),
    error: el('error'),
    meter: el('score-meter'),
    scoreText: el('score-text'),
    counts: el('counts'),
    checklist: el('checklist'),
    announce: el('announce'),
    progress: el('progress'),
    progressText: el('progress-text'),
    progressReset: el('progress-reset'),
    feedback: document.querySelector('.feedback'),
  };

  const state = {
    rubrics: [],
    rubric: null,
    maxBytes: 8 * 1024 * 1024,
    uploadTypes: [], // the answer file types the server reads (GET /api/rubrics)
    seq: 0, // bumped by every edit and every request: only the latest response is shown
    controller: null,
    checkTimer: 0,
    saveTimer: 0,
    ranges: [], // highlighted evidence: {start, end, status} in UTF-16 units of the text
    statuses: null, // point key -> status, after the last response
    items: new Map(), // point key -> its checklist elements
    lastText: '', // the text as of the last edit, to move the marks along with edits
    since: null, // the result the feedback is compared with (progress between drafts)
    result: null, // the last result: {score, max, points: {number: status}}
  };

  // ---------------------------------------------------------------- small helpers

  function make(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('aria-') || k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) node.append(c);
    return node;
  }

  function marks(x) {
    return String(Math.round(x * 100) / 100);
  }

  function showError(message) {
    ui.error.textContent = message || '';
    ui.error.hidden = !message;
  }

  const draftKey = (id) => `rubric:draft:${id}`;
  const pointKey = (q, p) => `${q}/${p}`;

  // ---------------------------------------------------------------- drafts (this browser only)

  function loadDraft(id) {
    try {
      const saved = JSON.parse(localStorage.getItem(draftKey(id)) || 'null');
      if (saved && typeof saved.text === 'string') return saved;
    } catch (_) {
      /* no storage, or not ours: start empty */
    }
    return { text: '', format: 'markdown' };
  }

  function saveDraft() {
    clearTimeout(state.saveTimer);
    state.saveTimer = 0;
    if (!state.rubric) return;
    try {
      localStorage.setItem(
        draftKey(state.rubric.id),
        JSON.stringify({ text: ui.answer.value, format: ui.format.value, saved: Date.now() }),
      );
    } catch (_) {
      ui.fileStatus.textContent =
        'This answer is too long to keep in the browser: save it in a file before closing the page.';
    }
  }

  function scheduleSave() {
    clearTimeout(state.saveTimer);
    state.saveTimer = setTimeout(saveDraft, DEBOUNCE_MS);
  }

  // ---------------------------------------------------------------- progress between drafts
  // The last result of each assignment is kept in this browser. When the assignment is opened,
  // that result (where the previous visit ended) is what the feedback is compared with; on a
  // first visit, the first result. "Compare from this draft on" starts again from the current
  // result. The server words the progress (POST /api/check with `since`): docs/serve.md.

  const resultKey = (id) => `rubric:result:${id}`;

  function loadResult(id) {
    try {
      const saved = JSON.parse(localStorage.getItem(resultKey(id)) || 'null');
      if (saved && typeof saved.score === 'number' && saved.points) return saved;
    } catch (_) {
      /* no storage, or not ours */
    }
    return null;
  }

  function keepResult(report) {
    const points = {};
    for (const q of report.questions) for (const p of q.points) points[p.id] = p.status;
    state.result = { score: report.score, max: report.max, points };
    if (!state.since) state.since = state.result;
    try {
      localStorage.setItem(resultKey(state.rubric.id), JSON.stringify(state.result));
    } catch (_) {
      /* the draft matters more: see saveDraft */
    }
  }

  // Shown once something has moved since: a point gained or lost, or the score.
  function showProgress(progress) {
    const moved = !!progress && (progress.gained.length > 0 || progress.lost.length > 0 || progress.score_change !== 0);
    ui.progress.hidden = !moved;
    if (moved && ui.progressText.textContent !== progress.sentence) ui.progressText.textContent = progress.sentence;
  }

  ui.progressReset.addEventListener('click', () => {
    state.since = state.result;
    showProgress(null);
    ui.announce.textContent = 'From now on, the feedback says what changed since this draft.';
    ui.answer.focus();
  });

  // ---------------------------------------------------------------- the assignment

  // What a point not yet made is called: its neutral topic, if the rubric gives one.
  function unmadeName(p) {
    return p.topic ? `Topic: ${p.topic}` : '';
  }

  // The later steps of a point's hint, from gentle to specific: each is fetched only when the
  // student asks for another hint (the API sends no step before it is asked for).
  function hintSteps(r, p) {
    if (!(p.hint_steps > 1)) return null;
    const more = make('div', { class: 'hint-steps' });
    const button = make('button', { type: 'button', class: 'hint-btn', text: 'Another hint' });
    let shown = 1;
    button.addEventListener('click', async () => {
      const query = `rubric=${encodeURIComponent(r.id)}&point=${encodeURIComponent(p.id)}&step=${shown + 1}`;
      let text;
      try {
        const res = await fetch(`/api/hint?${query}`);
        const data = await res.json();
        text = res.ok ? data.hint : data.error;
        if (res.ok) shown += 1;
      } catch (e) {
        text = 'The next hint could not be fetched.';
      }
      more.append(make('p', { class: 'hint', text }));
      button.hidden = shown >= p.hint_steps;
    });
    const show = (open) => {
      more.hidden = !open;
      button.hidden = !open || shown >= p.hint_steps;
    };
    return { more, button, show };
  }

  function buildRubric(r) {
    ui.title.textContent = r.title;
    document.title = `${r.title} · feedback`;
    ui.questions.replaceChildren(...r.questions.map((q) => make('li', { text: q.prompt })));
    state.items.clear();
    state.statuses = null;
    const sections = r.questions.map((q, qi) => {
      const headingId = `q-${qi}`;
      const qmarks = make('span', { class: 'qmarks', text: `0/${marks(q.max)}` });
      const list = make('ul', { class: 'points' });
      for (const [pi, p] of q.points.entries()) {
        const key = pointKey(q.id, p.id);
        const icon = make('span', { class: 'icon', 'aria-hidden': 'true', text: STATUS.missing.icon });
        const status = make('span', { class: 'status', text: STATUS.missing.text });
        const score = make('span', { class: 'marks', text: `0/${marks(p.marks)}` });
        // Student-safe: a point not yet made shows its number, topic and hint, never its label
        // (the API does not send it); the label comes with the report that makes the point.
        const name = make('span', { class: 'name', text: unmadeName(p) });
        const label = make('p', { class: 'label' }, status, make('span', { class: 'number', text: `${p.id} ` }), name, ' ', score);
        const hint = make('p', { class: 'hint', text: p.hint });
        // A partly made point's "why not?": what is there and what is still to say.
        const why = make('p', { class: 'why-not', hidden: true });
        const evidence = make('div', { class: 'evidence-list' });
        const body = make('div', { class: 'body' }, label, why, hint, evidence);
        const steps = hintSteps(r, p);
        if (steps) body.append(steps.more, steps.button);
        let revealBtn = null;
        if (r.allow_reveal && p.can_reveal) {
          const revealId = `reveal-${qi}-${pi}`;
          // The model statement is asked for on the first click, one point at a time.
          const text = make('p', { class: 'reveal', id: revealId, hidden: true });
          revealBtn = make('button', {
            type: 'button',
            class: 'reveal-btn',
            'aria-expanded': 'false',
            'aria-controls': revealId,
            text: 'Reveal the model statement',
          });
          revealBtn.addEventListener('click', async () => {
            const open = text.hidden;
            if (open && !text.textContent) {
              try {
                const query = `rubric=${encodeURIComponent(r.id)}&point=${encodeURIComponent(p.id)}`;
                const res = await fetch(`/api/reveal?${query}`);
                const data = await res.json();
                text.textContent = res.ok ? data.reveal : data.error;
              } catch (e) {
                text.textContent = 'The model statement could not be fetched.';
              }
            }
            text.hidden = !open;
            revealBtn.setAttribute('aria-expanded', String(open));
            revealBtn.textContent = open ? 'Hide the model statement' : 'Reveal the model statement';
          });
          body.append(revealBtn, text);
        }
        const li = make('li', { class: 'point', 'data-point': p.id, 'data-status': 'missing' }, icon, body);
        list.append(li);
        state.items.set(key, { li, icon, status, name, score, hint, why, steps, evidence, revealBtn, point: p });
      }
      // Misconceptions found in the answer: filled in by each report (none are listed before).
      const checks = make('ul', { class: 'checks', hidden: true });
      state.items.set(`q:${q.id}`, { qmarks, checks, question: q });
      return make(
        'section',
        { class: 'question', 'aria-labelledby': headingId },
        make('h3', { id: headingId }, make('span', { text: `${qi + 1}. ${q.prompt}` }), qmarks),
        list,
        checks,
      );
    });
    ui.checklist.replaceChildren(...sections);
    ui.meter.max = r.max || 1;
    ui.meter.low = (r.max || 1) * 0.5;
    ui.meter.high = (r.max || 1) * 0.8;
    ui.meter.optimum = r.max || 1;
    ui.meter.value = 0;
    ui.scoreText.textContent = `0 / ${marks(r.max)}`;
    ui.counts.textContent = '';
  }

  function selectRubric(id) {
    const r = state.rubrics.find((x) => x.id === id) || state.rubrics[0];
    if (!r) return;
    if (state.rubric) saveDraft();
    state.rubric = r;
    state.seq++;
    ui.select.value = r.id;
    try {
      localStorage.setItem('rubric:last', r.id);
    } catch (_) {
      /* ignore */
    }
    if (location.hash.slice(1) !== encodeURIComponent(r.id)) {
      history.replaceState(null, '', `#${encodeURIComponent(r.id)}`);
    }
    buildRubric(r);
    state.since = loadResult(r.id);
    state.result = null;
    showProgress(null);
    const draft = loadDraft(r.id);
    ui.answer.value = draft.text;
    state.lastText = draft.text;
    ui.format.value = draft.format === 'text' ? 'text' : 'markdown';
    ui.fileStatus.textContent = '';
    state.ranges = [];
    renderHighlights();
    check();
  }

  // ---------------------------------------------------------------- checking

  function scheduleCheck() {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(check, DEBOUNCE_MS);
  }

  async function check() {
    clearTimeout(state.checkTimer);
    if (!state.rubric) return;
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const text = ui.answer.value;
    const request = { rubric: state.rubric.id, text, format: ui.format.value };
    if (state.since) request.since = state.since;
    const body = JSON.stringify(request);
    if (body.length > state.maxBytes) {
      showError(`This answer is too long to check here (the limit is ${Math.floor(state.maxBytes / 1048576)} MiB).`);
      return;
    }
    ui.feedback.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch('/api/check', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: controller.signal,
      });
      const data = await res.json();
      if (seq !== state.seq) return; // a newer edit or request: this answer is stale
      if (!res.ok) throw new Error(data.error || `the server answered ${res.status}`);
      showError('');
      applyReport(data, text);
      keepResult(data);
      showProgress(data.progress);
    } catch (e) {
      if (e.name === 'AbortError' || seq !== state.seq) return;
      showError(`Feedback is not available: ${e.message}`);
    } finally {
      if (seq === state.seq) ui.feedback.removeAttribute('aria-busy');
    }
  }

  /** UTF-16 positions of the given UTF-8 byte offsets of `text` (evidence comes in bytes). */
  function utf16Offsets(text, byteOffsets) {
    const wanted = [...new Set(byteOffsets)].sort((a, b) => a - b);
    const out = new Map();
    let bytes = 0;
    let i = 0;
    let w = 0;
    while (w < wanted.length) {
      while (w < wanted.length && wanted[w] <= bytes) out.set(wanted[w++], i);
      if (i >= text.length) break;
      const cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp > 0xffff ? 2 : 1;
    }
    for (; w < wanted.length; w++) out.set(wanted[w], text.length);
    return out;
  }

  function applyReport(report, text) {
    const evidence = [];
    const announcements = [];
    const previous = state.statuses;
    const statuses = new Map();
    for (const q of report.questions) {
      const qItem = state.items.get(`q:${q.id}`);
      if (qItem) {
        qItem.qmarks.textContent = `${marks(q.score)}/${marks(q.max)}`;
        const found = (q.misconceptions || []).filter((m) => m.found);
        qItem.checks.hidden = found.length === 0;
        qItem.checks.replaceChildren(
          ...found.map((m) =>
            make(
              'li',
              { class: 'point', 'data-status': 'check', 'data-misconception': m.id },
              make('span', { class: 'icon', 'aria-hidden': 'true', text: '?' }),
              make(
                'div',
                { class: 'body' },
                make('p', { class: 'label' }, make('span', { class: 'status', text: 'To check' }), `${m.label}`),
                ...m.evidence.map((ev) => make('p', { class: 'quote', text: `“${ev.quote}”` })),
                make('p', { class: 'hint', text: m.hint }),
              ),
            ),
          ),
        );
      }
      for (const p of q.points) {
        const key = pointKey(q.id, p.id);
        statuses.set(key, p.status);
        for (const ev of p.evidence) evidence.push({ ev, status: p.status, key });
        const item = state.items.get(key);
        if (!item) continue;
        const s = STATUS[p.status] || STATUS.missing;
        item.li.dataset.status = p.status;
        item.icon.textContent = s.icon;
        item.status.textContent = s.text;
        item.score.textContent = `${marks(p.marks)}/${marks(p.max_marks)}`;
        item.hint.hidden = p.status === 'covered';
        if (p.hint) item.hint.textContent = p.hint;
        item.why.textContent = p.why_not || '';
        item.why.hidden = !p.why_not;
        if (item.steps) item.steps.show(p.status !== 'covered');
        if (item.revealBtn) {
          const hide = p.status === 'covered';
          item.revealBtn.hidden = hide;
          if (hide) {
            const panel = document.getElementById(item.revealBtn.getAttribute('aria-controls'));
            panel.hidden = true;
            item.revealBtn.setAttribute('aria-expanded', 'false');
            item.revealBtn.textContent = 'Reveal the model statement';
          }
        }
        const made = p.status === 'covered' || p.status === 'partial';
        item.name.textContent = made && p.label ? p.label : unmadeName(item.point);
        if (previous && previous.get(key) !== p.status) {
          const said = made && p.label ? p.label : `Point ${p.id}`;
          announcements.push(`${said}: ${s.text.toLowerCase()}.`);
        }
      }
    }
    // Evidence, in UTF-16 units of the text that was checked.
    const offsets = utf16Offsets(
      text,
      evidence.flatMap(({ ev }) => [ev.start, ev.end]),
    );
    const byKey = new Map();
    state.ranges = evidence.map(({ ev, status, key }) => {
      const range = { start: offsets.get(ev.start), end: offsets.get(ev.end), status, key, quote: ev.quote };
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(range);
      return range;
    });
    for (const [key, item] of state.items) {
      if (!item.evidence) continue;
      const ranges = byKey.get(key) || [];
      item.evidence.replaceChildren(
        ...ranges.slice(0, MAX_EVIDENCE_SHOWN).map((range) => {
          const quote = range.quote.length > 160 ? `${range.quote.slice(0, 157)}…` : range.quote;
          const button = make('button', { type: 'button', class: 'evidence', text: `“${quote}”` });
          button.setAttribute('aria-label', `Show in your answer: ${quote}`);
          button.addEventListener('click', () => showInAnswer(range));
          return button;
        }),
      );
    }
    renderHighlights();

    // Score and counts.
    ui.meter.max = report.max || 1;
    ui.meter.value = report.score;
    const scoreText = `${marks(report.score)} / ${marks(report.max)} (${marks(report.percent)}%)`;
    if (ui.scoreText.textContent !== scoreText) ui.scoreText.textContent = scoreText;
    const c = report.counts;
    ui.counts.textContent = `${c.covered} covered, ${c.partial} partly made, ${c.negated} contradicted, ${c.missing} missing`;
    if (announcements.length) {
      ui.announce.textContent = announcements.length > 4
        ? `${announcements.length} points changed. ${ui.counts.textContent}.`
        : announcements.join(' ');
    }
    state.statuses = statuses;
  }

  // ---------------------------------------------------------------- the highlight layer

  let renderQueued = false;
  function renderHighlights() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      const text = ui.answer.value;
      const ranges = state.ranges
        .filter((r) => r.end > r.start && r.end <= text.length)
        .sort((a, b) => a.start - b.start || b.end - a.end);
      const frag = document.createDocumentFragment();
      let at = 0;
      for (const r of ranges) {
        const start = Math.max(r.start, at);
        if (start >= r.end) continue;
        if (start > at) frag.append(text.slice(at, start));
        const mark = make('mark', { class: r.status, 'data-point': r.key.split('/').pop(), text: text.slice(start, r.end) });
        r.mark = mark;
        frag.append(mark);
        at = r.end;
      }
      // A final space so that a trailing line break gets its line, as in the textarea.
      frag.append(`${text.slice(at)} `);
      ui.highlights.replaceChildren(frag);
    });
  }

  /** Keeps the marks on their words while text is typed before, after or between them. */
  function shiftRanges(before, after) {
    let prefix = 0;
    const max = Math.min(before.length, after.length);
    while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < max - prefix &&
      before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
    ) suffix++;
    const changedEnd = before.length - suffix;
    const delta = after.length - before.length;
    state.ranges = state.ranges.flatMap((r) => {
      if (r.end <= prefix) return [r];
      if (r.start >= changedEnd) return [{ ...r, start: r.start + delta, end: r.end + delta }];
      return []; // edited inside: gone until the next answer from the server
    });
  }

  function showInAnswer(range) {
    ui.answer.focus({ preventScroll: true });
    ui.answer.setSelectionRange(range.start, range.end);
    if (range.mark && range.mark.isConnected) {
      range.mark.scrollIntoView({ block: 'center', behavior: 'smooth' });
      range.mark.classList.add('flash');
      setTimeout(() => range.mark.classList.remove('flash'), 1200);
    }
  }

  // ---------------------------------------------------------------- files

  async function openFile(file) {
    showError('');
    const name = file.name || 'answer.txt';
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
    if (!state.uploadTypes.includes(ext)) {
      showError(`${name}: open a ${state.uploadTypes.join(', ')} file.`);
      return;
    }
    if (file.size > state.maxBytes) {
      showError(`${name} is too large (the limit is ${Math.floor(state.maxBytes / 1048576)} MiB).`);
      return;
    }
    ui.fileStatus.textContent = `Opening ${name}…`;
    try {
      const res = await fetch(`/api/extract?filename=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      const data = await res.json();
      if (!res.ok) throw new Error(data.error || `the server answered ${res.status}`);
      const previous = { text: ui.answer.value, format: ui.format.value };
      setText(data.text, data.format);
      ui.fileStatus.textContent = `Opened ${name}. `;
      if (previous.text.trim()) {
        const undo = make('button', { type: 'button', text: 'Undo' });
        undo.setAttribute('aria-label', `Undo: bring back the answer you had before opening ${name}`);
        undo.addEventListener('click', () => {
          setText(previous.text, previous.format);
          ui.fileStatus.textContent = 'Your previous answer is back.';
          ui.answer.focus();
        });
        ui.fileStatus.append(undo);
      }
    } catch (e) {
      ui.fileStatus.textContent = '';
      showError(`Could not open ${name}: ${e.message}`);
    }
  }

  function setText(text, format) {
    state.seq++;
    ui.answer.value = text;
    state.lastText = text;
    ui.format.value = format === 'text' ? 'text' : 'markdown';
    state.ranges = [];
    renderHighlights();
    saveDraft();
    check();
  }

  // ---------------------------------------------------------------- wiring

  ui.answer.addEventListener('input', () => {
    state.seq++; // any response in flight is now stale
    shiftRanges(state.lastText, ui.answer.value);
    state.lastText = ui.answer.value;
    renderHighlights();
    scheduleSave();
    scheduleCheck();
  });

  ui.format.addEventListener('change', () => {
    saveDraft();
    check();
  });
  ui.select.addEventListener('change', () => selectRubric(ui.select.value));
  ui.file.addEventListener('change', () => {
    if (ui.file.files.length) openFile(ui.file.files[0]);
    ui.file.value = '';
  });
  ui.editor.addEventListener('dragover', (e) => {
    if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    ui.editor.classList.add('dragging');
  });
  ui.editor.addEventListener('dragleave', (e) => {
    if (!ui.editor.contains(e.relatedTarget)) ui.editor.classList.remove('dragging');
  });
  ui.editor.addEventListener('drop', (e) => {
    ui.editor.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    openFile(file);
  });
  window.addEventListener('pagehide', saveDraft);
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (state.rubric && id && id !== state.rubric.id) selectRubric(id);
  });

  async function start() {
    try {
      const res = await fetch('/api/rubrics');
      const data = await res.json();
      if (!res.ok) throw new Error(data.error || `the server answered ${res.status}`);
      state.rubrics = data.rubrics;
      if (data.max_answer_bytes) state.maxBytes = data.max_answer_bytes;
      if (data.answer_types) {
        state.uploadTypes = data.answer_types;
        ui.file.accept = data.answer_types.join(',');
      }
      if (!state.rubrics.length) throw new Error('the server has no rubric');
    } catch (e) {
      ui.title.textContent = 'No assignment';
      showError(`Could not load the assignments: ${e.message}`);
      return;
    }
    ui.select.replaceChildren(
      ...state.rubrics.map((r) => make('option', { value: r.id, text: r.title })),
    );
    ui.select.disabled = state.rubrics.length < 2;
    let last = null;
    try {
      last = localStorage.getItem('rubric:last');
    } catch (_) {
      /* ignore */
    }
    const fromHash = decodeURIComponent(location.hash.slice(1));
    const pick = [fromHash, last].find((id) => id && state.rubrics.some((r) => r.id === id));
    selectRubric(pick || state.rubrics[0].id);
  }

  start();
})();
