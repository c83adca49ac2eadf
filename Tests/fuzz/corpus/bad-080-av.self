p{"id":"c231","op":"av.self","args":{"meeting":"$M","speaker":{"ok":true}}}
