using LegacyLinking.LocalTenant.Hosting;

var app = LocalTenantApp.Build(args);
app.Run();
