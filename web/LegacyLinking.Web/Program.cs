using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Hosting;

StartupTimeline.Mark("app: main");
var builder = WebApplication.CreateBuilder(args);

builder.AddAuth0Configuration();
builder.AddEmbeddedLocalTenant();
builder.AddAppDatabase();
builder.AddKeyRing();
builder.AddSessionStore();
builder.AddSignIn();
builder.AddAuth0Clients();
builder.AddFeatureFlags();
builder.AddMigrationTracking();
builder.AddRamp();
builder.AddTelemetry();
builder.AddLinking();
builder.AddPasswordResets();
builder.AddPages();
builder.AddHealth();
builder.LoadKeyRingInBackground();

var app = builder.Build();
StartupTimeline.Mark("app: built");
app.BuildDatabaseModelInBackground();

app.UseErrorPages();
app.UseSecurityHeaders();
app.UseOutagePages();
app.UseStaticFiles();
app.UseRouting();
app.UseSession();
app.UseAuthentication();
app.UseSessionStateOwner();
app.UseAuthorization();
app.MapRazorPages();
app.MapHealth();
app.BuildEndpointsInBackground();

return await app.RunUntilStoppedAsync();
