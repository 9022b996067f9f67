// The background export's page: poll its JSON and keep the progress bar, the stage and the
// download link up to date until the job is done or failed.
const POLL_MS = 1500;

const box = document.querySelector('.export-job');

function show(job) {
  const bar = box.querySelector('.export-job__bar');
  box.dataset.state = job.state;
  box.querySelector('.export-job__state').textContent = job.state_label;
  box.querySelector('.export-job__stage').textContent = job.stage_label || '';
  if (job.total) {
    bar.max = job.total;
    bar.value = job.state === 'done' ? job.total : Math.min(job.progress, job.total);
    box.querySelector('.export-job__count').textContent = `${bar.value} / ${job.total}`;
  }
  const error = box.querySelector('.export-job__error');
  error.textContent = job.error || '';
  error.hidden = !job.error;
  box.querySelector('.export-job__download').hidden = job.state !== 'done';
  const finished = box.querySelector('.export-job__finished');
  if (finished && job.finished_at) {
    const time = finished.querySelector('time');
    time.dateTime = job.finished_at;
    time.textContent = job.finished_at_local;
    finished.hidden = false;
  }
}

async function poll() {
  try {
    const response = await fetch(box.dataset.statusUrl, {headers: {Accept: 'application/json'}});
    if (response.ok) {
      const job = await response.json();
      show(job);
      if (job.state === 'done' || job.state === 'failed') return;
    }
  } catch (err) {
    // offline for a moment: try again on the next tick
  }
  window.setTimeout(poll, POLL_MS);
}

if (box && box.dataset.state !== 'done' && box.dataset.state !== 'failed') {
  window.setTimeout(poll, POLL_MS);
}
