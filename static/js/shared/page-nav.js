// The sections of the signed-in pages' header: on a phone one row that scrolls sideways
// (pages.css). It starts scrolled to the page shown, which may be the last of ten sections.
// Only the row scrolls: scrollIntoView would also scroll the page's viewport sideways in
// right-to-left languages (seen in Arabic).

const GAP = 16;

const current = document.querySelector('.page-header__nav [aria-current="page"]');
const row = current?.closest('.page-header__nav');
if (row && row.scrollWidth > row.clientWidth) {
  const box = row.getBoundingClientRect();
  const link = current.getBoundingClientRect();
  if (link.right > box.right) row.scrollLeft += link.right - box.right + GAP;
  else if (link.left < box.left) row.scrollLeft -= box.left - link.left + GAP;
}
