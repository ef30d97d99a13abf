using LegacyLinking.FaultDrills;

// dotnet run -c Release --project bench/LegacyLinking.FaultDrills [-- database-outage record-loss stalled-tenant]
// Each drill starts what it needs (tenant, app, PostgreSQL), fails it, prints its figures and stops everything.
var drills = new Dictionary<string, Func<Report, Task>>
{
    ["database-outage"] = DatabaseOutageDrill.RunAsync,
    ["record-loss"] = RecordLossDrill.RunAsync,
    ["stalled-tenant"] = StalledTenantDrill.RunAsync,
};
var chosen = args.Length == 0 ? [.. drills.Keys] : args;
if (chosen.FirstOrDefault(name => !drills.ContainsKey(name)) is { } unknown)
{
    Console.Error.WriteLine($"Unknown drill '{unknown}'; the drills are: {string.Join(", ", drills.Keys)}.");
    return 2;
}
var report = new Report();
foreach (var name in chosen)
{
    report.Heading(name);
    await drills[name](report);
}
report.Print();
return 0;
