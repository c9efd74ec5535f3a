-- at_least computes measured from its arguments: opts cannot replace it
-- (once recorded "fail 100 (required 2)").
-- expect: error: at_least: opts.measured is not allowed
return {
  id = "hostile.opts_measured_overrides_compare",
  title = "opts.measured in at_least",
  basis = "hostile test",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return at_least(1, 2, {measured = 100}) end,
}
