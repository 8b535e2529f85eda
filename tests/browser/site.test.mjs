// Browser tests of the Wenku website in headless Debian Chromium (playwright-core).
//
// Started by tests/browser/run.sh, which runs the real `wenku serve --demo` and passes:
//   WENKU_URL          base URL of the running server, e.g. http://127.0.0.1:41234
//   WENKU_ADMIN_TOKEN  the --admin-token the server was started with
//   WENKU_GATED_ID     id of a long document imported from fixtures/gated-speech.jsonl
//   WENKU_MESSY_ID     id of the flattened speech imported from fixtures/messy-speech.jsonl
//   WENKU_ARTIFACTS    directory for the screenshots
//   WENKU_LIMITED_URL  base URL of a second server (--demo) with the rate limits on
//   WENKU_CHROMIUM     the Chromium executable (default /usr/bin/chromium)
// Every check is a hard assertion: a missing element fails its step. Steps run in order and
// each prints PASS or FAIL; the last line is "browser: N passed, N failed" and the exit code
// is 1 when any step failed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const base = requiredEnv('WENKU_URL');
const adminToken = requiredEnv('WENKU_ADMIN_TOKEN');
const gatedId = requiredEnv('WENKU_GATED_ID');
const messyId = requiredEnv('WENKU_MESSY_ID');
const artifacts = requiredEnv('WENKU_ARTIFACTS');
const limitedBase = requiredEnv('WENKU_LIMITED_URL');
const executablePath = process.env.WENKU_CHROMIUM || '/usr/bin/chromium';

const kGateText = '想阅读完全部图文内容，您需要先登录！';
const kTimeoutMs = 10_000;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`browser: ${name} is not set (run tests/browser/run.sh)`);
    process.exit(2);
  }
  return value;
}

// ---- a minimal step runner ------------------------------------------------------------

const results = [];
async function step(name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push(true);
    console.log(`PASS ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    results.push(false);
    console.log(`FAIL ${name}: ${e && e.message ? e.message.split('\n').slice(0, 6).join('\n  ') : e}`);
  }
}

// ---- helpers ----------------------------------------------------------------------------

// Navigates and asserts an HTTP status; returns the response.
async function open(page, target, status = 200) {
  const response = await page.goto(base + target, { waitUntil: 'load' });
  assert.ok(response, `no response for ${target}`);
  assert.equal(response.status(), status, `GET ${target}: status`);
  return response;
}

// Asserts that `selector` matches at least `min` elements and returns the locator.
async function expectCount(page, selector, min = 1) {
  const locator = page.locator(selector);
  const n = await locator.count();
  assert.ok(n >= min, `expected at least ${min} × ${selector} on ${page.url()}, found ${n}`);
  return locator;
}

async function expectText(page, selector, text) {
  const locator = await expectCount(page, selector);
  // Text that a script sets (已复制 after the clipboard's promise) may come a moment later.
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout: kTimeoutMs }).catch(() => {});
  const content = (await locator.first().innerText()).replace(/\s+/g, ' ');
  assert.ok(content.includes(text), `${selector} should contain "${text}", has "${content.slice(0, 200)}"`);
  return locator;
}

// Searches through the search form of the current page; returns the hit links.
async function searchWithForm(page, query) {
  const input = page.locator('form#search-form input[name=q]').first();
  await input.fill(query);
  await Promise.all([page.waitForURL(/\/search\?/), input.press('Enter')]);
  return page.locator('ol.hits li.hit a[href^="/doc/"]');
}

// Repeats a search until a hit links to /doc/{id}: the server's index follower picks up new
// documents within a second or two.
async function waitForSearchHit(page, query, id, timeoutMs = kTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await open(page, `/search?q=${encodeURIComponent(query)}`);
    const n = await page.locator(`ol.hits a[href="/doc/${id}"]`).count();
    if (n > 0) return;
    if (Date.now() > deadline) {
      throw new Error(`search "${query}" found no /doc/${id} within ${timeoutMs} ms`);
    }
    await page.waitForTimeout(500);
  }
}

// ---- the tests ---------------------------------------------------------------------------

const browser = await chromium.launch({ executablePath, headless: true });
const problems = [];  // uncaught page errors and console errors (CSP violations show here)
async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  context.setDefaultTimeout(kTimeoutMs);
  context.on('page', watchPage);
  return context;
}
function watchPage(page) {
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  // Failed loads are judged by their responses below: pages opened with open() have their
  // status asserted there (the QR of an unknown id is a 404 on purpose).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`${page.url()}: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (r.status() >= 400 && type !== 'document' && !r.url().endsWith('/favicon.ico')) {
      problems.push(`${page.url()}: ${type} ${r.url()} answered ${r.status()}`);
    }
  });
}

// Opens `pathUrl` at 375 px and 1280 px, saves full-page screenshots as NAME-WIDTH.png in the
// artifacts directory and asserts that nothing sticks out to the right. Pages are seen by a
// guest, or with `as` (a browser context) by whoever that context is logged in as: its cookies
// go with every screenshot's own context. With `origin` the page comes from another server;
// with `status` other than 200 the page is asked again (up to 100 times) until it answers that
// status (a rate limit reached), and `check(page, response)` runs before the screenshot.
async function screenshotsOf(pathUrl, name, { as = null, origin = base, status = 200, check = null } = {}) {
  fs.mkdirSync(artifacts, { recursive: true });
  const storageState = as ? await as.storageState() : undefined;
  for (const width of [375, 1280]) {
    const context = await newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1, storageState });
    const shot = await context.newPage();
    let response = null;
    for (let i = 0; i < 100 && (!response || response.status() !== status); ++i) {
      response = await shot.goto(origin + pathUrl, { waitUntil: 'load' });
      if (status === 200) break;
    }
    assert.equal(response && response.status(), status, `GET ${pathUrl}: status`);
    if (check) await check(shot, response);
    // How far the page sticks out to the right, and the elements that do.
    const [overflow, wide] = await shot.evaluate(() => [
      document.documentElement.scrollWidth - window.innerWidth,
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((e) => {
          const cls = e.getAttribute('class');
          return e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (cls ? `.${cls}` : '');
        }),
    ]);
    const file = path.join(artifacts, `${name}-${width}.png`);
    await shot.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    await context.close();
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than ${width} px: ${wide.join(', ')}`);
  }
}

const guest = await newContext();
const page = await guest.newPage();
let docId = null;  // a demo document reached through search

await step('home page: search form, categories, latest, hot tabs, topics', async () => {
  await open(page, '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN', 'html lang');
  await expectCount(page, 'form#search-form input[name=q]');
  await expectCount(page, 'ul.category-list a[href^="/category/"]');
  await expectCount(page, 'section#latest a[href^="/doc/"]');
  await expectCount(page, 'section#hot button#hot-tab-week');
  await expectCount(page, 'section#hot button#hot-tab-month');
  await expectCount(page, 'section#topics');
});

// Issue 18: one search box on a phone's home page and the genres in one 分类 menu (<details>,
// no script); on a wide screen the genres are a row under the header.
await step('home: one search box and the 分类 menu on a phone, the genre row on a desktop; screenshots', async () => {
  const phoneContext = await newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const phonePage = await phoneContext.newPage();
  await open(phonePage, '/');
  const boxes = await phonePage.locator('input[name=q]').evaluateAll((inputs) => inputs.filter((i) => i.offsetParent !== null).length);
  assert.equal(boxes, 1, 'visible search boxes on the phone home page');
  assert.equal(await phonePage.locator('nav.genre-nav').isVisible(), false, 'the genre row on a phone');
  const menu = phonePage.locator('header details.genre-menu');
  assert.ok(await menu.locator('summary').isVisible(), 'the 分类 button');
  assert.equal(await menu.locator('a').first().isVisible(), false, 'the menu starts closed');
  await menu.locator('summary').tap();
  const speech = menu.locator('a', { hasText: '讲话稿' });
  assert.ok(await speech.isVisible(), 'the menu opens on a tap');
  const box = await speech.boundingBox();
  assert.ok(box.y < 300 && box.x + box.width <= 375, `讲话稿 in the open menu at ${JSON.stringify(box)}`);
  await Promise.all([phonePage.waitForURL(/\/(category|search)/), speech.tap()]);
  await phoneContext.close();

  await open(page, '/');
  await expectCount(page, 'nav.genre-nav a', 6);
  assert.equal(await page.locator('header details.genre-menu').isVisible(), false, 'the menu on a desktop');
  assert.equal(await page.locator('form#search-form').isVisible(), true, 'the home search box on a desktop');
  await screenshotsOf('/', 'home');
});

await step('search through the form shows hits', async () => {
  await open(page, '/');
  const hits = await searchWithForm(page, '安全生产');
  assert.ok((await hits.count()) >= 1, 'no hits for 安全生产');
  await expectCount(page, 'ol.hits li.hit .snippet mark');
  const href = await hits.first().getAttribute('href');
  docId = decodeURIComponent(href.slice('/doc/'.length));
  await Promise.all([page.waitForURL(/\/doc\//), hits.first().click()]);
});

await step('document page: title, meta, breadcrumb, tags, body, share, about, related, sidebar', async () => {
  assert.ok(docId, 'no document opened by the search step');
  await open(page, `/doc/${encodeURIComponent(docId)}`);
  await expectCount(page, 'h1.doc-title');
  const published = await (await expectCount(page, 'time.doc-published')).first().innerText();
  assert.match(published.trim(), /^\d{4}年(\d{1,2}月(\d{1,2}日)?)?$/, 'time.doc-published format');
  await expectCount(page, 'span.doc-views');
  await expectText(page, 'nav.breadcrumb', '首页');
  await expectCount(page, 'nav.breadcrumb a[href^="/category/"]');
  await expectCount(page, 'ul.tags li');
  await expectCount(page, 'div.doc-body p[id^="p"]');
  await expectCount(page, 'section#share svg');
  await expectText(page, 'section#share', '微信扫一扫在手机阅读、分享本文');
  const url = await (await expectCount(page, 'section#share button#copy-link')).getAttribute('data-url');
  assert.ok(url && url.endsWith(`/doc/${docId}`) && /^https?:\/\//.test(url), `copy-link data-url "${url}"`);
  await expectText(page, 'section#about', '本文标题');
  await expectText(page, 'section#about', '链接地址');
  await expectCount(page, 'section#related a[href^="/doc/"]');
  await expectText(page, 'aside.sidebar', '微信订阅号');
  await expectCount(page, 'aside.sidebar img, aside.sidebar svg');
  await expectText(page, 'aside.sidebar a[href="/feedback"]', '联系客服');
  await expectCount(page, 'a.btn-template');
  await expectCount(page, 'button.btn-favorite');
});

await step('收藏 keeps the document in localStorage across a reload', async () => {
  assert.ok(docId, 'no document opened by the search step');
  await open(page, `/doc/${encodeURIComponent(docId)}`);
  const favorite = page.locator('button.btn-favorite').first();
  assert.notEqual(await favorite.getAttribute('aria-pressed'), 'true', 'already pressed on a first visit');
  await favorite.click();
  assert.equal(await favorite.getAttribute('aria-pressed'), 'true', 'aria-pressed after clicking 收藏');
  const stored = await page.evaluate(() => Object.values({ ...window.localStorage }).join('\n'));
  assert.ok(stored.includes(docId), `localStorage does not hold ${docId}: ${stored.slice(0, 200)}`);
  await page.reload();
  assert.equal(await favorite.getAttribute('aria-pressed'), 'true', 'not pressed after a reload');
  await favorite.click();
  assert.equal(await favorite.getAttribute('aria-pressed'), 'false', 'still pressed after clicking again');
});

await step('guest sees the preview and the 阅读全文 block of a long document', async () => {
  await open(page, `/doc/${gatedId}`);
  // The outline lists the whole text; entries past the preview lead to the gate.
  const targets = await (await expectCount(page, 'nav.outline a[href^="#"]', 3)).evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')),
  );
  for (const target of targets) {
    assert.equal(await page.locator(target).count(), 1, `outline link ${target} has no target`);
  }
  assert.ok(targets.includes('#read-more'), 'no outline entry leads past the preview');
  const paragraphs = await page.locator('div.doc-body p').allInnerTexts();
  const shown = paragraphs.join('').length;
  assert.ok(shown > 50 && shown < 1000, `preview shows ${shown} characters of a 1,346-character text`);
  assert.ok(!paragraphs.join('').includes('善作善成'), 'the closing paragraph is shown to a guest');
  await expectText(page, 'div#read-more', kGateText);
  const back = `?next=/doc/${gatedId}`;
  assert.equal(await page.locator('div#read-more a.btn-login').getAttribute('href'), `/login${back}`);
  assert.equal(await page.locator('div#read-more a.btn-register').getAttribute('href'), `/register${back}`);
});

await step('login and register buttons lead to their forms, which lead back to the document', async () => {
  for (const [button, target, heading] of [['a.btn-login', '/login', '登录'], ['a.btn-register', '/register', '注册']]) {
    await open(page, `/doc/${gatedId}`);
    await Promise.all([
      page.waitForURL(`${base}${target}?next=/doc/${gatedId}`),
      page.locator(`div#read-more ${button}`).click(),
    ]);
    await expectText(page, 'section.account h1', heading);
    await expectCount(page, 'form#account-form input[name=username]');
    await expectCount(page, 'form#account-form input[name=password][type=password]');
    assert.ok(await page.locator('form#account-form input[name=csrf_token]').inputValue(), 'empty csrf_token');
    assert.equal(await page.locator('form#account-form input[name=next]').inputValue(), `/doc/${gatedId}`);
  }
});

await step('本周热门 / 本月热门 tabs toggle the hidden attribute', async () => {
  await open(page, `/doc/${gatedId}`);
  const week = page.locator('div#hot-week');
  const month = page.locator('div#hot-month');
  // run.sh counted one view of the long document before this server started.
  for (const list of ['div#hot-week', 'div#hot-month']) {
    await expectCount(page, `${list} a[href="/doc/${gatedId}"]`);
  }
  await page.locator('button#hot-tab-month').click();
  assert.equal(await month.getAttribute('hidden'), null, 'month list hidden after clicking 本月热门');
  assert.notEqual(await week.getAttribute('hidden'), null, 'week list visible after clicking 本月热门');
  assert.ok(await month.isVisible(), 'month list not visible');
  await page.locator('button#hot-tab-week').click();
  assert.equal(await week.getAttribute('hidden'), null, 'week list hidden after clicking 本周热门');
  assert.notEqual(await month.getAttribute('hidden'), null, 'month list visible after clicking 本周热门');
  assert.ok(await week.isVisible(), 'week list not visible');
});

await step('QR code SVG of a document', async () => {
  const response = await open(page, `/qr/doc/${gatedId}.svg`);
  assert.match(response.headers()['content-type'] || '', /^image\/svg\+xml/, 'content type');
  const body = await response.text();
  assert.match(body, /<svg[\s>]/, 'body is not an SVG');
  await expectCount(page, 'svg');
  await open(page, '/qr/doc/no-such-document-xyz.svg', 404);
});

await step('联系客服 form shows the flash after sending', async () => {
  await open(page, '/feedback');
  await expectCount(page, 'form#feedback-form');
  // The honeypot may be hidden or moved off the page; either way no one sees it.
  const honeypot = page.locator('form#feedback-form input[name=website]');
  const box = await honeypot.boundingBox();
  const seen = box && box.width > 1 && box.height > 1 && box.x + box.width > 0 && box.y + box.height > 0;
  assert.ok(!seen, `the honeypot field is visible at ${JSON.stringify(box)}`);
  assert.equal(await honeypot.inputValue(), '', 'the honeypot field is not empty');
  await page.locator('form#feedback-form textarea[name=message]').fill('浏览器测试：页面显示正常，谢谢！');
  await page.locator('form#feedback-form input[name=contact]').fill('browser-test@example.com');
  await Promise.all([
    page.waitForURL(/\/feedback\?sent=1$/),
    page.locator('form#feedback-form [type=submit]').first().click(),
  ]);
  await expectText(page, 'p.flash', '已收到您的留言');
});

await step('screenshots of the document page at 375 px and 1280 px', async () => {
  await screenshotsOf(`/doc/${gatedId}`, 'doc');
});

// On a phone (and in WeChat, whose browser gets the textarea fallback): each X of the 模板版 is
// a highlight whose text is X, so it copies as X; 复制全文 copies the paragraphs on the page,
// a guest's preview only. Screenshots of the 模板版.
await step('模板版 on a phone: marked X copy as X; 复制全文 copies what is shown', async () => {
  const target = '/doc/demo-fangxun-bushu/template';
  for (const userAgent of [undefined, 'Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile MicroMessenger/8.0.50']) {
    const context = await newContext({ viewport: { width: 375, height: 812 }, ...(userAgent ? { userAgent } : {}) });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const phonePage = await context.newPage();
    await open(phonePage, target);
    const marks = await expectCount(phonePage, 'div.doc-body mark.tpl-x', 3);
    const texts = await marks.allInnerTexts();
    assert.ok(texts.every((t) => t === 'X'), `mark texts: ${texts.join(' ')}`);
    const titles = await marks.evaluateAll((list) => list.map((m) => m.getAttribute('title')));
    assert.ok(titles.every((t) => /^原文为/.test(t)), `mark titles: ${titles.join(' ')}`);
    const selected = await phonePage.evaluate(() => {
      const paragraph = document.querySelector('div.doc-body mark.tpl-x').closest('p');
      const range = document.createRange();
      range.selectNodeContents(paragraph);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      return window.getSelection().toString();
    });
    assert.ok(selected.includes('要在X月X日前完成全部排查工作'), `selection: ${selected}`);
    for (const [pathUrl, absent] of [[target, '6月10日'], [`/doc/${gatedId}`, '善作善成']]) {
      await open(phonePage, pathUrl);
      await phonePage.evaluate(() => navigator.clipboard.writeText(''));
      await phonePage.locator('button.btn-copy-text').click();
      await expectText(phonePage, '.copy-text-status', '已复制');
      const copied = await phonePage.evaluate(() => navigator.clipboard.readText());
      const shown = (await phonePage.locator('div.doc-body p').allTextContents()).join('\n');
      assert.ok(shown.length > 50, `${pathUrl}: the page shows ${shown.length} characters`);
      assert.equal(copied, shown, `${pathUrl}: copied text`);
      assert.ok(!copied.includes(absent) && !copied.includes('<'), `${pathUrl}: copied ${absent} or markup`);
    }
    await context.close();
  }
  await screenshotsOf(target, 'doc-template');
});

// Issue 18: a speech copied from a web page as one paragraph under the title "同志们：", with
// the wire's dateline, a repeated title line, the speaker and a photo caption in its text, is
// read under its own title, in paragraphs, with the wrapping in 来源说明; its 模板版 marks the
// figures and its 任务分解表 (for a guest) says how many tasks the login shows.
await step('a flattened speech reads well after import: title, paragraphs, 来源说明; screenshots with 模板版 and 任务分解表', async () => {
  const phone = await newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  await open(phonePage, `/doc/${messyId}`);
  const title = await phonePage.locator('h1.doc-title').innerText();
  assert.ok(title.includes('在全市乡村振兴工作会议上的讲话') && !title.includes('同志们'), `h1: ${title}`);
  const paragraphs = await phonePage.locator('div.doc-body p').allInnerTexts();
  assert.ok(paragraphs.length >= 3, `${paragraphs.length} paragraphs shown`);
  assert.equal(paragraphs[0], '同志们：', 'the salutation is the first paragraph');
  assert.ok(paragraphs.includes('一、充分肯定过去一年取得的成绩'), `a heading of its own: ${paragraphs.join(' | ')}`);
  const body = paragraphs.join('\n');
  assert.ok(!body.includes('新华社') && !body.includes('摄'), `wrapping left in the text: ${body}`);
  const note = await phonePage.locator('aside.source-note').innerText();
  assert.ok(note.includes('新华社北京3月20日电') && note.includes('新华社记者 李华 摄'), `来源说明: ${note}`);
  await open(phonePage, `/doc/${messyId}/template`);
  const marks = await expectCount(phonePage, 'div.doc-body mark.tpl-x', 2);
  assert.ok((await marks.allInnerTexts()).every((t) => t === 'X'), 'marked X');
  const templated = (await phonePage.locator('div.doc-body').innerText());
  assert.ok(templated.includes('X万吨') && templated.includes('X%'), `magnitudes kept: ${templated}`);
  await open(phonePage, `/doc/${messyId}/tasks`);
  await expectText(phonePage, 'p.tasks-hidden', '登录后查看全部 4 项任务');
  await phone.close();
  await screenshotsOf(`/doc/${messyId}`, 'messy-doc');
  await screenshotsOf(`/doc/${messyId}/template`, 'messy-template');
  await screenshotsOf(`/doc/${messyId}/tasks`, 'messy-tasks');
});

await step('a query typed without spaces is read as words, with a notice; screenshots', async () => {
  // No text holds 2024年乡村振兴总结 as typed; the demo 总结 whose title holds its words does.
  await open(page, `/search?q=${encodeURIComponent('2024年乡村振兴总结')}`);
  const first = page.locator('ol.hits li.hit a[href^="/doc/"]').first();
  assert.ok((await first.innerText()).includes('乡村振兴工作总结'), await first.innerText());
  await expectText(page, 'p.search-notice', '分词');
  await screenshotsOf(`/search?q=${encodeURIComponent('2024年乡村振兴总结')}`, 'search-typed');
});
await step('a character too common to search is left out and named in the notice; screenshots', async () => {
  const target = `/search?q=${encodeURIComponent('的 乡村振兴')}`;
  await open(page, target);
  await expectText(page, 'p.search-notice', '「的」在大多数文档中都出现，检索时已略去');
  assert.ok(await page.locator('ol.hits li.hit').count() > 0, 'no hits for 乡村振兴');
  await screenshotsOf(target, 'search-ignored');
});
await step('admin: log in with the token, upload a .md file, find it by search', async () => {
  const admin = await newContext();
  const adminPage = await admin.newPage();
  await open(adminPage, '/admin/login');
  await adminPage.locator('input[name=token]').fill(adminToken);
  await Promise.all([
    adminPage.waitForURL(base + '/admin'),
    adminPage.locator('input[name=token]').press('Enter'),
  ]);
  const cookie = (await admin.cookies()).find((c) => c.name === 'wenku_admin');
  assert.ok(cookie, 'no wenku_admin cookie after login');
  assert.ok(cookie.httpOnly, 'wenku_admin cookie is not HttpOnly');

  const marker = `wkb${Date.now().toString(36)}`;
  const id = `browser-upload-${marker}`;
  const file = `${id}.md`;
  const text = [`# 浏览器上传测试 ${marker}`, `这是一篇由浏览器测试上传的文档，编号 ${marker}。`, '上传之后应当能被搜索到。']
    .join('\n\n');
  await open(adminPage, '/admin/upload');
  await adminPage.locator('form#upload-form input[type=file][name=files]').setInputFiles({
    name: file,
    mimeType: 'text/markdown',
    buffer: Buffer.from(text, 'utf8'),
  });
  await adminPage.locator('form#upload-form [type=submit]').first().click();
  const report = adminPage.locator('ul#upload-report li');
  await report.first().waitFor();
  const line = await report.first().innerText();
  assert.ok(line.includes(file), `upload report "${line}" does not name ${file}`);
  assert.ok(line.includes('新增'), `upload report "${line}" does not say 新增`);

  await waitForSearchHit(page, marker, id);
  await Promise.all([
    page.waitForURL(base + `/doc/${id}`),
    page.locator(`ol.hits a[href="/doc/${id}"]`).first().click(),
  ]);
  await expectText(page, 'h1.doc-title', `浏览器上传测试 ${marker}`);
  await admin.close();
});

// ---- member accounts, on a phone -----------------------------------------------------------
// A reader on a 375 px phone meets the 阅读全文 wall, registers, reads the whole text, logs
// out and in again and keeps a 收藏. Each step goes on from where the one before left the
// phone's browser (its cookies), so a failed step makes the later ones fail too.

// A phone as the site's readers hold it (WeChat's in-app browser is a Chromium): 375 px wide,
// touch, a mobile user agent.
const kPhone = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/140.0.0.0 Mobile Safari/537.36',
};
// A sentence of the fixture's last paragraph, far past the guest preview (600 characters of
// 1,346): on the page for members only.
const kLateSentence = '优化营商环境只有进行时，没有完成时';
// A fresh account per run, with a name of the most characters allowed (20: 12 here and 8 of
// the time) so that the header and /me, which show it, are tried at their narrowest.
const member = { name: `浏览器测试注册的读者账号${Date.now().toString(36)}`, password: `测试密码-${Date.now()}` };
const phone = await newContext(kPhone);
const mobile = await phone.newPage();

// Asserts what the phone's page of the long document shows: the whole text (member) or the
// preview and the 阅读全文 block (guest).
async function expectGatedDoc(full) {
  await expectCount(mobile, 'div.doc-body p[id^="p"]');
  const body = await mobile.locator('body').innerText();
  const html = await mobile.content();
  if (full) {
    assert.equal(await mobile.locator('#read-more').count(), 0, '#read-more shown to a member');
    assert.ok(body.includes(kLateSentence), `the member does not see "${kLateSentence}"`);
  } else {
    assert.ok(await mobile.locator('#read-more').isVisible(), '#read-more is not visible to a guest');
    assert.ok(!body.includes(kLateSentence) && !html.includes(kLateSentence), `a guest sees "${kLateSentence}"`);
  }
}

// Submits the account form of the phone's page with `name` and `password`; returns the
// response to the POST (a redirect when it worked).
async function submitAccountForm(action, name, password) {
  await mobile.locator('form#account-form input[name=username]').fill(name);
  await mobile.locator('form#account-form input[name=password]').fill(password);
  const [response] = await Promise.all([
    mobile.waitForResponse((r) => r.url() === base + action && r.request().method() === 'POST'),
    mobile.locator('form#account-form [type=submit]').tap(),
  ]);
  return response;
}

await step('phone, guest: the long document stops at 阅读全文 before its last paragraph', async () => {
  await open(mobile, `/doc/${gatedId}`);
  assert.equal(await mobile.evaluate(() => window.innerWidth), 375, 'viewport width');
  await expectText(mobile, 'div#read-more', kGateText);
  await expectGatedDoc(false);
  await expectText(mobile, 'header a.nav-login[href="/login"]', '登录');
  assert.equal(await mobile.locator('header a.nav-me').count(), 0, 'a guest has a.nav-me');
});

await step('phone: 注册 in the 阅读全文 block registers and leads back to the whole text', async () => {
  await Promise.all([
    mobile.waitForURL(`${base}/register?next=/doc/${gatedId}`),
    mobile.locator('div#read-more a.btn-register').tap(),
  ]);
  const response = await submitAccountForm('/register', member.name, member.password);
  if (response.status() !== 303) {
    await mobile.waitForLoadState();
    assert.fail(`POST /register answered ${response.status()}: ${await mobile.locator('p.error').allInnerTexts()}`);
  }
  await mobile.waitForURL(`${base}/doc/${gatedId}`);
  await expectGatedDoc(true);
  assert.equal((await mobile.locator('header a.nav-me[href="/me"]').innerText()).trim(), member.name, 'header name');
  assert.ok(await mobile.locator('header a.nav-me').isVisible(), 'the header name is not visible');
  // Each header link stays on one line at 375 px: the long name is cut short, not 首页 broken up.
  const lines = await mobile.locator('header .site-nav a').evaluateAll((links) =>
    links.map((a) => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)),
  );
  assert.ok(lines.every((n) => n < 1.5), `header links of ${lines.map((n) => n.toFixed(1))} lines`);
  assert.equal(await mobile.locator('header a.nav-login').count(), 0, 'a member has a.nav-login');
  const session = (await phone.cookies()).find((c) => c.name === 'wk_session');
  assert.ok(session && session.httpOnly && session.sameSite === 'Lax', `wk_session cookie ${JSON.stringify(session)}`);
});

await step('screenshots: register form, the document as a member, /me', async () => {
  await screenshotsOf(`/register?next=/doc/${gatedId}`, 'register');
  await screenshotsOf(`/doc/${gatedId}`, 'doc-member', { as: phone });
  const tasksPage = await phone.newPage();
  await open(tasksPage, `/doc/${messyId}/tasks`);
  const rows = await tasksPage.locator('table.tasks tbody tr').allInnerTexts();
  assert.equal(rows.length, 4, `a member's 任务分解表: ${rows.join(' | ')}`);
  assert.ok(rows[0].includes('三、扎实做好今年重点工作') && rows[0].includes('稳定粮食生产') &&
    rows[0].includes('市农业农村局'), `first row: ${rows[0]}`);
  await tasksPage.close();
  await screenshotsOf(`/doc/${messyId}/tasks`, 'messy-tasks-member', { as: phone });
  await screenshotsOf('/me', 'me', { as: phone });
});

await step('下载Word: a guest of the gated text is asked to log in; a member downloads the Word file named after the title', async () => {
  const guestPage = await guest.newPage();
  await open(guestPage, `/doc/${gatedId}`);
  const login = guestPage.locator('a.btn-word-login');
  assert.equal((await login.innerText()).trim(), '登录后下载Word');
  assert.equal(await login.getAttribute('href'), `/login?next=/doc/${gatedId}`);
  assert.equal(await guestPage.locator('a.btn-word').count(), 0, 'a guest has the download link');
  await guestPage.close();
  const memberPage = await phone.newPage();
  await open(memberPage, `/doc/${gatedId}/template`);
  const [download] = await Promise.all([
    memberPage.waitForEvent('download'),
    memberPage.locator('a.btn-word').tap(),
  ]);
  const title = (await memberPage.locator('h1.doc-title').innerText()).replace(/（模板版）$/, '').trim();
  // Named after the title, less the characters file systems refuse.
  assert.equal(download.suggestedFilename(), `${title.replace(/[\/\\:*?"<>|]/g, '')}-模板版.docx`);
  const saved = path.join(artifacts, 'download-template.docx');
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString(), 'PK', 'the download is a zip archive');
  await memberPage.close();
});

await step('phone: the account page shows the member; 退出登录 brings the 阅读全文 wall back', async () => {
  await open(mobile, '/me');
  await expectText(mobile, 'dl.account-facts dd.me-name', member.name);
  await expectText(mobile, 'dl.account-facts dd.me-role', '会员');
  await expectText(mobile, 'ul.me-sessions li', '当前设备');
  await expectText(mobile, 'ul.me-sessions li', 'Android');
  const logout = mobile.locator('form#logout-form [type=submit]');
  assert.equal((await logout.innerText()).trim(), '退出登录');
  await Promise.all([mobile.waitForURL(`${base}/`), logout.tap()]);
  await expectCount(mobile, 'header a.nav-login');
  assert.equal(await mobile.locator('header a.nav-me').count(), 0, 'still named in the header');
  assert.ok(!(await phone.cookies()).some((c) => c.name === 'wk_session' && c.value), 'wk_session kept');
  await open(mobile, `/doc/${gatedId}`);
  await expectGatedDoc(false);
  await Promise.all([mobile.waitForURL(`${base}/login?next=/me`), mobile.goto(`${base}/me`)]);
});

await step('phone: /login refuses a wrong password with 401, then logs in to the whole text', async () => {
  await open(mobile, `/doc/${gatedId}`);
  await Promise.all([
    mobile.waitForURL(`${base}/login?next=/doc/${gatedId}`),
    mobile.locator('div#read-more a.btn-login').tap(),
  ]);
  const refused = await submitAccountForm('/login', member.name, `${member.password}-wrong`);
  assert.equal(refused.status(), 401, 'POST /login with a wrong password: status');
  await mobile.locator('p.error').waitFor();
  await expectText(mobile, 'p.error', '用户名或密码错误');
  assert.equal(await mobile.locator('form#account-form input[name=username]').inputValue(), member.name);
  assert.equal(await mobile.locator('form#account-form input[name=password]').inputValue(), '');
  assert.equal(await mobile.locator('header a.nav-me').count(), 0, 'logged in by a wrong password');
  const response = await submitAccountForm('/login', member.name, member.password);
  assert.equal(response.status(), 303, 'POST /login: status');
  await mobile.waitForURL(`${base}/doc/${gatedId}`);
  await expectGatedDoc(true);
  assert.equal((await mobile.locator('header a.nav-me').innerText()).trim(), member.name, 'header name');
});

await step('phone: 收藏 as a member lists the document in 我的收藏; 阅读历史 lists it too', async () => {
  await open(mobile, `/doc/${gatedId}`);
  const favorite = mobile.locator('form .btn-favorite-member');
  assert.equal(await favorite.getAttribute('aria-pressed'), 'false', 'pressed before 收藏');
  assert.equal((await favorite.innerText()).trim(), '收藏');
  await Promise.all([
    mobile.waitForResponse((r) => r.url() === `${base}/me/favorites` && r.request().method() === 'POST'),
    favorite.tap(),
  ]);
  // The form posts and comes back to the document, now with the button pressed.
  await mobile.locator('form .btn-favorite-member[aria-pressed="true"]').waitFor();
  assert.equal(mobile.url(), `${base}/doc/${gatedId}`);
  assert.equal((await favorite.innerText()).trim(), '已收藏');
  await open(mobile, '/me/favorites');
  await expectText(mobile, `ul#favorites-list li a[href="/doc/${gatedId}"]`, '优化营商环境推进会');
  await expectText(mobile, 'section.me-docs h1', '共 1 篇');
  await open(mobile, '/me/history');
  await expectCount(mobile, `ul.member-docs li a[href="/doc/${gatedId}"]`);
  await open(mobile, '/me');
  await expectText(mobile, 'p.me-links a[href="/me/favorites"]', '我的收藏（1）');
  await screenshotsOf('/me/favorites', 'me-favorites', { as: phone });
});

await phone.close();

// ---- a guest's 收藏 follows them into the account ----------------------------------------------
// A guest on another phone keeps two documents with 收藏 (in the browser's localStorage), is
// told that logging in saves them to 我的收藏, registers from that hint, and finds both there;
// the phone's local list is gone, so it is not merged twice or left to the next person.
const guestPhone = await newContext(kPhone);
const guestMobile = await guestPhone.newPage();
const favoriteReader = { name: `收藏合并读者${Date.now().toString(36)}`, password: `测试密码-收藏-${Date.now()}` };
let otherId = null;  // a demo document besides the long one
// The local list as site.js keeps it ([] when there is none).
const localFavorites = () =>
  guestMobile.evaluate(() => JSON.parse(window.localStorage.getItem('wenku.favorites') || '[]'));

await step('phone, guest: 收藏 keeps two documents on the phone and says logging in saves them', async () => {
  await open(guestMobile, '/');
  const hrefs = await guestMobile.locator('section#latest a[href^="/doc/"]').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')),
  );
  otherId = hrefs.map((h) => decodeURIComponent(h.slice('/doc/'.length))).find((id) => id !== gatedId);
  assert.ok(otherId, `no other document in 最新: ${hrefs}`);
  for (const id of [otherId, gatedId]) {
    await open(guestMobile, `/doc/${encodeURIComponent(id)}`);
    const favorite = guestMobile.locator('button.btn-favorite');
    const hint = guestMobile.locator('.doc-tools p.favorite-hint');
    assert.ok(!(await hint.isVisible()), 'the login hint shows before 收藏');
    await favorite.tap();
    assert.equal(await favorite.getAttribute('aria-pressed'), 'true', 'aria-pressed after 收藏');
    assert.equal((await favorite.innerText()).trim(), '已收藏');
    assert.ok(await hint.isVisible(), 'no hint after 收藏');
    await expectText(guestMobile, '.doc-tools p.favorite-hint', '登录或注册后同步到“我的收藏”');
    assert.equal(await hint.locator('a.favorite-login').getAttribute('href'), `/login?next=/doc/${id}`);
  }
  assert.deepEqual(await localFavorites(), [gatedId, otherId]);
  await screenshotsOf(`/doc/${gatedId}`, 'doc-guest-favorite', { as: guestPhone });
});

await step('phone: registering from the 收藏 hint puts both documents in 我的收藏 and empties the local list', async () => {
  await open(guestMobile, `/doc/${gatedId}`);
  await Promise.all([
    guestMobile.waitForURL(`${base}/register?next=/doc/${gatedId}`),
    guestMobile.locator('.doc-tools p.favorite-hint a.favorite-register').tap(),
  ]);
  await guestMobile.locator('form#account-form input[name=username]').fill(favoriteReader.name);
  await guestMobile.locator('form#account-form input[name=password]').fill(favoriteReader.password);
  // Back on the document as a member, site.js sends the local list to /me/favorites/merge.
  const [merged] = await Promise.all([
    guestMobile.waitForResponse((r) => r.url() === `${base}/me/favorites/merge` && r.request().method() === 'POST'),
    guestMobile.locator('form#account-form [type=submit]').tap(),
  ]);
  assert.equal(merged.status(), 200, `POST /me/favorites/merge: ${await merged.text()}`);
  assert.deepEqual(await merged.json(), { added: 2, already: 0, skipped: 0 });
  assert.equal(guestMobile.url(), `${base}/doc/${gatedId}`);
  // The member's 收藏 button of this page shows the merge.
  await guestMobile.locator('form .btn-favorite-member[aria-pressed="true"]').waitFor();
  await guestMobile.waitForFunction(() => window.localStorage.getItem('wenku.favorites') === null);
  await open(guestMobile, '/me/favorites');
  await expectText(guestMobile, 'section.me-docs h1', '共 2 篇');
  await expectCount(guestMobile, `ul#favorites-list li a[href="/doc/${gatedId}"]`);
  const listed = await guestMobile.locator('ul#favorites-list li > a').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')),
  );
  assert.deepEqual(listed, [`/doc/${gatedId}`, `/doc/${otherId}`], 'newest 收藏 first, as on the phone');
  assert.deepEqual(await localFavorites(), [], 'the local list after the merge');
  // Nothing is left to send: the next pages make no merge request.
  let again = 0;
  guestMobile.on('request', (r) => { if (r.url().endsWith('/me/favorites/merge')) again += 1; });
  await open(guestMobile, `/doc/${encodeURIComponent(otherId)}`);
  await open(guestMobile, '/me');
  assert.equal(again, 0, 'merge requests after the list was merged');
});

await guestPhone.close();

await step('a visitor over the search limit reads 请求过于频繁 with Retry-After; screenshots', async () => {
  await screenshotsOf(`/search?q=${encodeURIComponent('讲话')}`, 'rate-limited', {
    origin: limitedBase,
    status: 429,
    check: async (shot, response) => {
      assert.ok(Number(response.headers()['retry-after']) >= 1, 'Retry-After');
      await expectText(shot, 'main', '请求过于频繁');
    },
  });
});

await step('no JavaScript errors or CSP violations on any page', async () => {
  assert.deepEqual(problems, []);
});

await browser.close();
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
