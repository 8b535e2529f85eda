-- 008: the kind of each category (issue 18): 范文 ('model', texts a writer takes as a model:
-- speeches, reports, summaries …) or 资料 ('reference', material a writer looks things up in:
-- news, laws, cases). The site prefers 范文: the home page's 最新范文 lists only them, the hot
-- lists and the default search ranking put them first; 资料 stay one click away.
--
-- A row here only records a kind; it does not make a category exist (categories exist by being
-- used by documents or defined in `categories`). A category without a row is 范文. Rows for
-- names no document uses yet are kept, so a later import of such documents takes the kind.
CREATE TABLE category_kinds (
  name TEXT PRIMARY KEY NOT NULL,  -- '' is 未分类
  kind TEXT NOT NULL CHECK (kind IN ('model', 'reference'))
) WITHOUT ROWID;

-- The defaults: 新闻联播 is news and 典型案例 are court cases; laws and regulations (法律,
-- 行政法规, 地方性法规, 司法解释, 部门规章) are looked up, not imitated (the site links them as 法规).
-- The admin changes any of them at /admin/categories.
INSERT INTO category_kinds (name, kind) VALUES
  ('新闻联播', 'reference'),
  ('典型案例', 'reference'),
  ('法律', 'reference'),
  ('行政法规', 'reference'),
  ('地方性法规', 'reference'),
  ('司法解释', 'reference'),
  ('部门规章', 'reference');
