-- 受灾人员救助: there is no unified national amount (relief depends on the
-- disaster), so the department holds the relief per person in need
-- (spending ÷ people in need of relief) against the provincial mean: at
-- least params.ratio of the average over the province's cities that had
-- people in need (their total spending ÷ their total people in need). A
-- city with nobody in need is skipped; one whose figures are missing ends
-- as `missing` and is left out of the average (scripts/lib/peers.lua).
local peers = require "peers"

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
    local spend = r:fact("assist.disaster.spend")
    local need = r:fact("assist.disaster.in_need")
    if need <= 0 then
      return skip("本年度无受灾需救助人员")
    end
    if not r.parent then
      return skip("无上级地区，无法计算全省平均")
    end

    local avg = peers.mean_level(r:region(r.parent),
                                 "assist.disaster.spend",
                                 "assist.disaster.in_need")
    local note = string.format(
      "救助支出 %.0f 元 ÷ 需救助 %.0f 人；全省平均 %.2f 元/人（%d 个市）× %g",
      spend, need, avg.mean, avg.cities, params.ratio)
      .. peers.gaps_note(avg)
    return at_least(spend / need, params.ratio * avg.mean,
                    { unit = "元/人", note = note })
  end,
}
