p{"id":"c232","op":"av.self","args":{"meeting":"$M","mic":{"ok":true,"peakDb":"loud"},"speaker":{"ok":true}}}
