module gofmtcheck

go 1.22
