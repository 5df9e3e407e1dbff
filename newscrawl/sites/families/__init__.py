"""CMS families: the article layout and discovery rules that several sites share.

A family module holds an `ArticleLayout` and a `Site` subclass for one CMS;
each site module subclasses them with its own name, hosts, URL patterns and
start pages, and registers only the site. Nothing here is a site itself, so
the registry never imports this package as one.

- cnnd.py: the VCCorp/CNND CMS of tuoitre.vn and thanhnien.vn;
- generic_press.py: no CMS of its own: the generic extractor with per-site hint selectors,
  for sites known by their URLs and feeds (the green and energy press);
- cms_post.py: the `cms-*` / `-post<id>` CMS of nhandan.vn and vietnamplus.vn,
  with its byline and wire-credit rules in cms_post_bylines.py.
"""
