local d = ("").dump
d(function() end)
