// "Export CSV": the API answers a list as CSV a page at a time (Accept: text/csv, up to 1,000 rows, the next
// page in the Link header, so that no answer comes near the 6 MB a function may return); this follows the
// pages and saves them as one file. The header row comes with the first page only. A byte order mark goes
// first, so that spreadsheets read the file as UTF-8.

import { getCsvPage } from './api.js';

/**
 * Downloads every page of `path` as `fileName`; onPage(pagesSoFar, rowsSoFar) reports progress.
 * Resolves with the number of data rows; rejects with the ApiError of a refused page (nothing is saved then).
 */
export async function exportCsv(path, fileName, onPage) {
  const parts = ['\uFEFF'];
  let rows = -1; // the header row
  let next = path;
  let pages = 0;
  while (next) {
    const page = await getCsvPage(next);
    parts.push(page.text);
    rows += records(page.text);
    pages += 1;
    onPage?.(pages, Math.max(rows, 0));
    next = page.next;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return Math.max(rows, 0);
}

/** The records of an RFC 4180 text: line ends outside quoted fields (a doubled quote toggles twice). */
export function records(text) {
  let quoted = false;
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      quoted = !quoted;
    } else if (c === 10 && !quoted) {
      count += 1;
    }
  }
  return count;
}
