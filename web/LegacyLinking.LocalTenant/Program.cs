using LegacyLinking.LocalTenant.Hosting;

namespace LegacyLinking.LocalTenant;

// An explicit, internal Program keeps this entry point from clashing with LegacyLinking.Web's top-level Program.
internal static class Program
{
    public static void Main(string[] args) => LocalTenantApp.Build(args).Run();
}
