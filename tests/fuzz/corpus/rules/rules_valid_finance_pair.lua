-- two rules in one file
return {
  {
    id = "finance.b_indicator",
    title = "指标",
    basis = "粤财办〔2019〕1号 一(三)",
    kind = "indicator",
    level = "county",
    effective = { to = 2019 },
    evaluate = function(r) return indicator(0.2, 0.3, "<=") end,
  },
  {
    id = "finance.a_cut",
    title = "核减",
    basis = "粤财办〔2019〕1号 二(四)1",
    kind = "cut",
    level = "province",
    evaluate = function(r)
      return cut(0)
    end,
  },
}
