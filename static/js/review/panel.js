// The side panel of the review page: the findings of one cluster (or one single finding)
// and the small form that turns them into a concern ("Als Anliegen übernehmen").
// User text only ever goes into textContent.

import { ApiError, NetworkError, getJSON, isAbort, postJSON } from '../shared/api.js';
import { STRINGS, format } from '../shared/strings.js';
import { el } from '../shared/popup.js';
import { duisburgFormat, formatDateTime } from '../shared/times.js';

// Up to this many ids the findings are asked for by id (exact); bigger clusters by their
// key with the filter's query string, which keeps the URL short.
const MAX_IDS_IN_URL = 100;

const DAY = { dateStyle: 'medium' };

/** The Duisburg day of a stored time ("07.12.2026"); '' without one. */
const formatDate = (value) => (value ? duisburgFormat(DAY).format(new Date(value)) : '');

/** "Radweg kaputt in Hochfeld": the prefilled title of a concern. */
export function suggestedTitle(props) {
  const category = props.category_label || props.category || '';
  return props.ortsteil ? format(STRINGS.review.place, { category, place: props.ortsteil }) : category;
}

function findingItem(feature) {
  const p = feature.properties ?? {};
  const item = el('li', 'panel-finding');
  const time = el('time', 'panel-finding__date', p.created_at ? formatDateTime(new Date(p.created_at)) : '');
  if (p.created_at) time.dateTime = p.created_at;
  item.append(time);
  item.append(el('p', p.description ? 'panel-finding__text' : 'panel-finding__text panel-finding__text--empty',
    p.description || STRINGS.popup.noDescription));

  const facts = el('p', 'panel-finding__facts');
  facts.append(el('span', 'badge badge--votes', format(STRINGS.review.confirmations, { n: p.confirmations ?? 0 })));
  if (p.status) facts.append(' ', el('span', 'badge badge--status', STRINGS.review.status?.[p.status] ?? p.status));
  if (p.ortsteil) facts.append(' ', el('span', null, p.ortsteil));
  item.append(facts);

  const photos = (p.photos ?? []).filter((photo) => photo?.thumb_url);
  if (photos.length) {
    const list = el('ul', 'panel-finding__photos');
    photos.forEach((photo, index) => {
      const link = el('a');
      link.href = photo.url || photo.thumb_url;
      link.target = '_blank';
      link.rel = 'noopener';
      const img = el('img');
      img.src = photo.thumb_url;
      img.alt = format(STRINGS.popup.photoAlt, { n: index + 1, count: photos.length });
      img.loading = 'lazy';
      link.append(img);
      const li = el('li');
      li.append(link);
      list.append(li);
    });
    item.append(list);
  }
  return item;
}

function showError(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

const $ = (id) => document.getElementById(id);

function clearErrors() {
  for (const id of ['adopt-title-error', 'adopt-summary-error', 'adopt-error']) showError($(id), '');
  $('adopt-title').removeAttribute('aria-invalid');
  $('adopt-summary').removeAttribute('aria-invalid');
}

/** The adopt form's answer to a refused request: the fields' own messages, or one for the form. */
function showAdoptError(err) {
  if (err instanceof ApiError && err.status === 422) {
    for (const name of ['title', 'summary']) {
      if (err.fields[name]) {
        showError($(`adopt-${name}-error`), err.fields[name]);
        $(`adopt-${name}`).setAttribute('aria-invalid', 'true');
      }
    }
    const others = Object.entries(err.fields).filter(([name]) => !['title', 'summary'].includes(name));
    showError($('adopt-error'), others.map(([, text]) => text).join(' ') || STRINGS.errors.validation);
  } else if (err instanceof ApiError) {
    showError($('adopt-error'), err.body?.message || format(STRINGS.errors.server, { status: err.status }));
  } else {
    showError($('adopt-error'), err instanceof NetworkError ? STRINGS.errors.network : STRINGS.errors.unexpected);
  }
}

/** The adopt form's title, or null (after saying so) when it is empty. */
function adoptTitle() {
  const title = $('adopt-title').value.trim();
  if (!title) {
    showError($('adopt-title-error'), STRINGS.review.titleMissing);
    $('adopt-title').setAttribute('aria-invalid', 'true');
    $('adopt-title').focus();
  }
  return title || null;
}

/** Turn the findings of `current` (a cluster or single finding) into a concern and go to it. */
async function adopt(event, config, current, status) {
  event.preventDefault();
  clearErrors();
  const title = adoptTitle();
  if (!title) return;
  const [lat, lon] = current.centroid ?? [];
  const body = {
    title, summary: $('adopt-summary').value.trim(), category: current.category,
    finding_ids: current.finding_ids, lat, lon,
  };
  const submit = $('adopt-submit');
  submit.disabled = true;
  submit.setAttribute('aria-busy', 'true');
  status.textContent = STRINGS.review.adopting;
  try {
    const created = await postJSON(config.api.concerns, body);
    status.textContent = STRINGS.review.adopted;
    window.location.assign(created.url);
  } catch (err) {
    status.textContent = '';
    showAdoptError(err);
  } finally {
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
  }
}

/** The request for a cluster's findings: by id when few, else by key and the filter. */
function findingsRequest(config, props, queryString, signal) {
  const ids = props.finding_ids ?? [];
  return ids.length <= MAX_IDS_IN_URL
    ? getJSON(config.api.findings, { params: { ids: ids.join(',') }, signal })
    : getJSON(`${config.api.clusters}/${encodeURIComponent(props.key)}/findings?${queryString()}`, { signal });
}

/** A single finding's facts come with the finding itself (the cluster answer carries its key only). */
function showSingle(current, p) {
  current.ortsteil = p.ortsteil;
  $('panel-meta').textContent = [
    STRINGS.review.single, format(STRINGS.review.confirmations, { n: p.confirmations ?? 0 }),
    p.ortsteil, formatDate(p.created_at),
  ].filter(Boolean).join(' · ');
}

/** The line under the panel's title: a cluster's counts and period, or "single finding". */
function metaOf(props) {
  if (props.kind !== 'cluster') return STRINGS.review.single;
  const period = props.first_created_at === props.last_created_at
    ? formatDate(props.first_created_at)
    : format(STRINGS.review.period, { first: formatDate(props.first_created_at), last: formatDate(props.last_created_at) });
  return [
    format(STRINGS.review.count, { n: props.count }),
    format(STRINGS.review.participants, { n: props.participants }),
    format(STRINGS.review.confirmations, { n: props.confirmations }),
    props.ortsteil, period,
  ].filter(Boolean).join(' · ');
}

/** Open or close the adopt form; opened, its title is prefilled from `current` (unless typed). */
function toggleForm(open, current) {
  $('adopt-form').hidden = !open;
  $('adopt-button').setAttribute('aria-expanded', String(open));
  if (open) {
    $('adopt-title').value ||= suggestedTitle(current);
    $('adopt-title').focus();
  }
}

/**
 * Wire the panel. `config` is the page config; `onClose()` is called by "back to the list";
 * `queryString()` returns the current filter's query string (for big clusters).
 */
export function createPanel(config, { onClose, queryString }) {
  const panel = $('cluster-panel');
  const form = $('adopt-form');
  const adoptButton = $('adopt-button');
  const status = $('panel-status');
  const list = $('panel-findings');
  let current = null;
  let loading = null;

  async function loadFindings(props) {
    loading?.abort();
    loading = new AbortController();
    list.replaceChildren();
    status.textContent = STRINGS.review.loadingFindings;
    try {
      const data = await findingsRequest(config, props, queryString, loading.signal);
      list.replaceChildren(...(data.features ?? []).map(findingItem));
      if (props.kind === 'finding' && data.features?.length) showSingle(current, data.features[0].properties);
      status.textContent = '';
    } catch (err) {
      if (!isAbort(err)) status.textContent = STRINGS.review.findingsFailed;
    }
  }

  adoptButton.addEventListener('click', () => toggleForm(form.hidden, current));
  $('adopt-cancel').addEventListener('click', () => {
    toggleForm(false, current);
    adoptButton.focus();
  });
  form.addEventListener('submit', (event) => adopt(event, config, current, status));
  $('panel-back').addEventListener('click', () => onClose());

  return {
    open(props) {
      current = props;
      panel.hidden = false;
      form.reset();
      clearErrors();
      toggleForm(false, current);
      $('panel-title').textContent = `${props.icon ?? ''} ${props.category_label ?? props.category}`.trim();
      $('panel-meta').textContent = metaOf(props);
      $('panel-title').focus();
      loadFindings(props);
    },
    close() {
      loading?.abort();
      current = null;
      panel.hidden = true;
    },
    get key() {
      return current?.key ?? null;
    },
  };
}
