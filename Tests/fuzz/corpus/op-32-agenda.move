o{"id":"c1","op":"agenda.move","args":{"meeting":"$L","item":"G-1","position":1}}
