// Screenshot comparison for the browser tests: a screenshot is compared with its baseline in
// tests/browser/baseline/NAME.png, pixel by pixel, by decoding both in Chromium itself (an <img>
// drawn on a <canvas>): no image library from npm. A pixel differs when one of its channels
// differs by more than `threshold` (of 255); the screenshot matches when at most `maxRatio` of
// its pixels differ (font hinting and anti-aliasing change a few edge pixels between Chromium
// builds; a moved button, a missing panel or a changed text changes thousands).
//
// On a mismatch the test fails naming the box that holds every differing pixel, and writes
// NAME.diff.png beside the screenshot (differing pixels red over a faded copy of the baseline).
// UPDATE_SCREENSHOTS=1 in the environment writes the screenshot as the new baseline instead
// (look at it before committing it).
//
// Usage:
//   import { compareScreenshot } from './screenshots.mjs';
//   await compareScreenshot(browser, '/tmp/out/screen.png', 'screen');
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const baselineDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline');

export async function compareScreenshot(browser, actualFile, name,
  { threshold = 40, maxRatio = 0.0002 } = {}) {
  const baseline = path.join(baselineDir, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(baselineDir, { recursive: true });
    fs.copyFileSync(actualFile, baseline);
    console.log(`screenshot ${name}: baseline written (${baseline})`);
    return;
  }
  if (!fs.existsSync(baseline)) {
    throw new Error(`screenshot ${name}: no baseline ${baseline}; run with UPDATE_SCREENSHOTS=1 ` +
      'and look at the image before committing it');
  }
  const url = (file) => 'data:image/png;base64,' + fs.readFileSync(file).toString('base64');
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const r = await page.evaluate(async ([a, b, t]) => {
      const load = (src) => new Promise((resolve, reject) => {
        const im = new Image();
        im.onload = () => resolve(im);
        im.onerror = () => reject(new Error('not a PNG'));
        im.src = src;
      });
      const [ia, ib] = await Promise.all([load(a), load(b)]);
      if (ia.width !== ib.width || ia.height !== ib.height) {
        return { size: `${ia.width}x${ia.height} against the baseline's ${ib.width}x${ib.height}` };
      }
      const pixels = (im) => {
        const c = document.createElement('canvas');
        c.width = im.width;
        c.height = im.height;
        const g = c.getContext('2d');
        g.drawImage(im, 0, 0);
        return { c, g, d: g.getImageData(0, 0, im.width, im.height) };
      };
      const pa = pixels(ia);
      const pb = pixels(ib);
      const da = pa.d.data;
      const db = pb.d.data;
      let n = 0;
      let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
      // The diff image: the baseline faded, differing pixels red.
      const out = pb.d;
      for (let i = 0; i < da.length; i += 4) {
        const d = Math.max(Math.abs(da[i] - db[i]), Math.abs(da[i + 1] - db[i + 1]),
          Math.abs(da[i + 2] - db[i + 2]), Math.abs(da[i + 3] - db[i + 3]));
        if (d > t) {
          ++n;
          const p = i / 4;
          const x = p % ia.width;
          const y = Math.floor(p / ia.width);
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
          out.data[i] = 255; out.data[i + 1] = 0; out.data[i + 2] = 0; out.data[i + 3] = 255;
        } else {
          for (let k = 0; k < 3; ++k) out.data[i + k] = 255 - (255 - out.data[i + k]) / 4;
        }
      }
      pb.g.putImageData(out, 0, 0);
      return { n, total: da.length / 4, box: [x0, y0, x1, y1], diff: n ? pb.c.toDataURL('image/png') : '' };
    }, [url(actualFile), url(baseline), threshold]);
    if (r.size) throw new Error(`screenshot ${name}: ${r.size} (tests/browser/baseline/${name}.png)`);
    const ratio = r.n / r.total;
    if (ratio > maxRatio) {
      const diffFile = actualFile.replace(/\.png$/, '.diff.png');
      fs.writeFileSync(diffFile, Buffer.from(r.diff.split(',')[1], 'base64'));
      throw new Error(`screenshot ${name}: ${r.n} of ${r.total} pixels differ from ` +
        `tests/browser/baseline/${name}.png (${(100 * ratio).toFixed(2)}% > ${100 * maxRatio}%), ` +
        `within x ${r.box[0]}–${r.box[2]}, y ${r.box[1]}–${r.box[3]}; see ${diffFile}`);
    }
    return { differing: r.n, total: r.total };
  } finally {
    await ctx.close();
  }
}
