-- A nan band is refused (it compared as no band).
-- expect: error: at_least: opts.warn_within must be a finite number >= 0
return {
  id = "hostile.warn_within_nan",
  title = "warn_within = nan",
  basis = "hostile test",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return at_least(1, 2, {warn_within = 0/0}) end,
}
