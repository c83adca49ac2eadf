o{"id":"c1","op":"av.self","args":{"meeting":"$M","mic":{"ok":true},"speaker":{"ok":true}}}
