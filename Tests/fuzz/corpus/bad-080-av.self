p{"id":"c1","op":"av.self","args":{"meeting":"$M","speaker":{"ok":true}}}
