-- raises while the file loads
error("标准尚未发布")
