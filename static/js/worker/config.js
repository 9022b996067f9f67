// Service worker: keeps the app shell, the pages a participant opened, the walk's data and the
// map tiles they have seen on the phone, so the map opens without a connection. Sending is not
// done here: the page's outbox (capture/outbox.js) queues and sends findings, so POST/PUT/PATCH/
// DELETE pass straight through to the network (joining a walk offline excepted).
//
// One classic worker script, written in parts (static/js/worker/, one concern each) that
// mapapp/pwa serves joined at /sw.js in the order of mapapp.pwa.shell.WORKER_PARTS, this one
// first. The app fills in CONFIG (a content version, the shell's URLs, the offline page per
// language, the tile URL patterns and how many tiles to keep); a new version replaces the old
// shell. The parts share the worker's global scope: constants here, functions in the others.

const CONFIG = { version: 'dev', precache: [], pages: ['/'], offline: {}, tiles: [], tileEntries: 2000 };

const SHELL = `mapapp-shell-${CONFIG.version}`; // static files and pages of this version
const DATA = 'mapapp-data'; // API answers, kept across versions
const PHOTOS = 'mapapp-photos'; // stored photos: their URLs name their content, so never stale
const TILES = 'mapapp-tiles'; // map tiles seen, kept across versions, at most CONFIG.tileEntries
const SETTINGS = 'mapapp-settings'; // the language of the last page, for the offline page
const LANGUAGE_KEY = '/offline/language';
const PAGE_TIMEOUT_MS = 4000; // weak mobile data: show the stored page rather than wait longer
const API_TIMEOUT_MS = 8000;
const DATA_ENTRIES = 80; // bbox queries of the overview map would otherwise pile up
const PHOTO_ENTRIES = 150;
// The maps and a walk's join page ("Infos zur Begehung"). The join page carries a form token:
// its stored copy is only shown without a connection, and joining offline opens the stored map.
const JOIN = /^\/w\/[^/]+$/;
const WALK_MAP = /^(\/w\/[^/]+)\/map\/?$/;
const PAGES = [/^\/$/, WALK_MAP, JOIN];
// /api/me/findings: the phone's own findings ("Meine Funde"), one participant per browser.
const API = [/^\/api\/categories$/, /^\/api\/walks(\/[^/]+)?$/, /^\/api\/findings$/, /^\/api\/districts$/, /^\/api\/viewport$/,
  /^\/api\/me\/findings$/];
// Query parameters that select different data (a cached answer must agree on these).
const IDENTITY_PARAMS = ['walk', 'level'];
const STATIC = /^\/(static|vendor)\/.+\.(js|mjs|css|png|svg|woff2?)$/;
const PHOTO = /^\/photos\/[0-9a-f]{64}\/(web|thumb)\.jpg$/;
const TILE = CONFIG.tiles.map((source) => new RegExp(source)); // absolute tile URLs
const MATCH = { ignoreVary: true };

const matches = (patterns, path) => patterns.some((pattern) => pattern.test(path));
const isTile = (url) => TILE.some((pattern) => pattern.test(url.href));
