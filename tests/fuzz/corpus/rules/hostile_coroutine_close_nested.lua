-- Hostile rule: coroutine close nested.
-- expect: error: attempt to index a nil value (global 'coroutine')
return {
  id = "hostile.coroutine_close_nested",
  title = "hostile: coroutine_close_nested",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local co = coroutine.wrap(function() end) return pass()
  end,
}
