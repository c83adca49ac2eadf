p{"id":"c1","op":"av.self","args":{"meeting":"$M","mic":{"ok":true,"peakDb":-20},"speaker":{"ok":true},"camera":{"ok":false},"displayName":"王五-黄山高新区"}}
