// Where a photo was taken, read from its EXIF GPS tags in the browser with exifr
// (npm package, served from node_modules by /vendor/exifr/). Loaded on first use only.

let exifr = null;

/** The exifr module, imported once; a failed import is retried next time. */
function library(url) {
  exifr ??= import(url).catch((err) => {
    exifr = null;
    throw err;
  });
  return exifr;
}

/**
 * The position stored in the photo, or null (no GPS tags, unreadable file, library missing).
 * @param {Blob} file
 * @param {string} libraryUrl URL of exifr's ESM build (page config)
 * @returns {Promise<{lat: number, lon: number}|null>}
 */
export async function photoPosition(file, libraryUrl) {
  if (!libraryUrl) return null;
  try {
    const gps = await (await library(libraryUrl)).gps(file);
    const lat = Number(gps?.latitude);
    const lon = Number(gps?.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    if (lat === 0 && lon === 0) return null; // cameras write 0/0 when they had no fix
    return { lat, lon };
  } catch (err) {
    console.warn('reading the photo position failed', err);
    return null;
  }
}
