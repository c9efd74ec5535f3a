-- A nan measured in opts is an error, not silently stored as NULL.
-- expect: error: pass: measured is nan
return {
  id = "hostile.opts_measured_nan",
  title = "opts.measured = nan",
  basis = "hostile test",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass({measured = 0/0, required = 1}) end,
}
