p{"id":"c1","op":"av.self","args":{"meeting":"$M","mic":{"ok":true,"peakDb":"loud"},"speaker":{"ok":true}}}
