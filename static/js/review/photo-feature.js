// "Auf der Ergebnisseite zeigen" on the review pages (templates/results/_photo_feature.html): each
// button with class "photo-feature" and data-feature-api toggles whether its photo is featured on
// the walk's public results page (aria-pressed says whether it is). Texts come translated from
// #photo-feature's data- attributes, which also announces the outcome.

import { ApiError, postJSON, setDefaultHeaders } from '../shared/api.js';

const status = document.getElementById('photo-feature');

async function toggle(button) {
  const featured = button.getAttribute('aria-pressed') !== 'true';
  button.disabled = true;
  try {
    const answer = await postJSON(button.dataset.featureApi, { featured });
    button.setAttribute('aria-pressed', String(answer.featured));
    status.textContent = answer.featured ? status.dataset.on : status.dataset.off;
  } catch (err) {
    status.textContent = (err instanceof ApiError && err.body?.message) || status.dataset.failed;
  } finally {
    button.disabled = false;
  }
}

if (status) {
  setDefaultHeaders({ 'X-CSRFToken': status.dataset.csrfToken });
  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('button.photo-feature');
    if (button) toggle(button);
  });
  status.dataset.ready = '1'; // the buttons answer from now on (tests wait for it)
}
