-- 受灾人员救助: there is no unified national amount (relief depends on the
-- disaster), so the department holds the relief per person in need
-- (spending ÷ people in need of relief) against the provincial mean: at
-- least params.ratio of the average over the province's cities that had
-- people in need (their total spending ÷ their total people in need). A
-- city with nobody in need is skipped (with nothing spent it adds nothing
-- to the average); one whose figures are missing ends as `missing`, and
-- so does every city, naming it: an average without it is not the
-- province's (scripts/lib/peers.lua).
local check = require "check"

return {
  id = "civil_affairs.disaster_relief_per_person",
  title = "受灾人员人均救助水平（救助支出÷需救助人数）不低于全省平均的规定比例"
    .. "（无统一标准，对照全省平均）",
  basis = "国办发〔2018〕6号 受灾人员救助; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 人均救助不低于全省有受灾需救助人员各市平均的 ratio 倍, "
    .. "ratio 为民政厅工作目标",
  item = "assist.disaster",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { ratio = 0.6 },
  evaluate = function(r)
    -- 受灾人员人均救助 ≥ ratio × 全省有需救助人员各市平均
    return check.peer_ratio(r, {
      amount = "assist.disaster.spend", per = "assist.disaster.in_need",
      ratio = params.ratio, unit = "元/人",
      note = "救助支出 %.0f 元 ÷ 需救助 %.0f 人",
      no_units = "本年度无受灾需救助人员",
    })
  end,
}
