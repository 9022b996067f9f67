// The follow link's page, to its owner (templates/follow/follow.html): "Link kopieren" and
// "Teilen" for the link shown in #follow-url. Without this script the link is still there to
// select, bookmark or scan. The texts come from the section's data- attributes (server-rendered).

const section = document.querySelector('.follow-link');
const field = document.getElementById('follow-url');
const copyButton = document.getElementById('follow-copy');
const shareButton = document.getElementById('follow-share');
const status = document.getElementById('follow-link-status');

function say(text) {
  status.textContent = text;
}

async function copy() {
  try {
    await navigator.clipboard.writeText(field.value);
    say(section.dataset.copied);
  } catch {
    field.focus();
    field.select();
    say(section.dataset.copyFailed);
  }
}

async function share() {
  try {
    await navigator.share({ title: section.dataset.shareTitle, url: field.value });
  } catch (err) {
    if (err?.name !== 'AbortError') copy();
  }
}

if (section && field) {
  field.addEventListener('focus', () => field.select());
  if (navigator.clipboard?.writeText) {
    copyButton.hidden = false;
    copyButton.addEventListener('click', copy);
  }
  if (navigator.share) {
    shareButton.hidden = false;
    shareButton.addEventListener('click', share);
  }
}
