// Yielding to the browser between the steps of a page's start, so that the page is painted
// before the map is built and no single task keeps a slow phone's main thread for long.

/** Resolves once the browser has painted the current state of the page. */
export function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/** Resolves in a new task, letting input and rendering run in between. */
export function nextTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    setTimeout(resolve, 0);
  });
}
