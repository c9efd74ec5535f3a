-- 困难群众救助: there is no unified national amount, so the level of
-- assistance per beneficiary (spending ÷ beneficiaries, 元/人·年) is held
-- against the provincial average: it must be at least params.ratio of the
-- average over the province's cities (total spending ÷ total
-- beneficiaries). A city whose own figures are missing ends as `missing`,
-- and so does every other city, naming it: an average without it is not
-- the province's (scripts/lib/peers.lua).
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- average of the province's cities as its city (check.peer_ratio), its own
-- figures outside it.
local check = require "check"

return {
  id = "civil_affairs.hardship_per_capita",
  title = "困难群众人均救助水平（救助支出÷救助人数）不低于全省平均的规定比例"
    .. "（无统一标准，对照全省平均）",
  basis = "国办发〔2018〕6号 困难群众救助; 粤财办〔2019〕1号 二(一)、二(二)1; "
    .. "无统一经费标准: 人均救助不低于全省各市平均(总支出÷总救助人数)的 ratio 倍, "
    .. "ratio 为民政厅工作目标",
  item = "assist.hardship",
  kind = "compliance",
  level = { "city", "county" },
  effective = { from = 2018 },
  params = { ratio = 0.6 },
  evaluate = function(r)
    -- 人均救助 ≥ ratio × 全省各市平均
    return check.peer_ratio(r, {
      amount = "assist.hardship.spend", per = "assist.hardship.beneficiaries",
      ratio = params.ratio, unit = "元/人·年",
      note = "救助支出 %.0f 元 ÷ 救助人数 %.0f 人",
      no_units = "无救助对象",
    })
  end,
}
