using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// At start: each variant flag offers exactly the catalogue's flows of its operation. A flow missing from the variants
/// could never be chosen and its QA override would be silently ignored; a variant without a flow would fail every
/// request allocated to it.
/// </summary>
public sealed class FlowCatalogueCheck : IValidateOptions<FlagSettings>
{
    public ValidateOptionsResult Validate(string? name, FlagSettings settings)
    {
        var failures = new List<string>();
        foreach (var flows in FlowCatalogue.All.GroupBy(f => f.Flag))
        {
            // A missing definition is the flag check's to report.
            if (settings.Find(flows.Key) is not { } found) continue;
            var (definition, key) = found;
            var variants = definition.Variants.Select(v => v.Name ?? "").ToList();
            var catalogued = flows.Select(f => f.Name).ToList();
            var missing = catalogued.Except(variants).ToList();
            var unknown = variants.Except(catalogued).ToList();
            if (missing.Count == 0 && unknown.Count == 0) continue;
            var problems = string.Join("; ", new[]
            {
                missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : null,
                unknown.Count > 0 ? $"{string.Join(", ", unknown.Select(u => $"'{u}'"))} is no {flows.Key} flow" : null,
            }.OfType<string>());
            failures.Add(ConfigurationRules.Invalid($"{key}:variants", string.Join(", ", variants),
                $"one variant per {flows.Key} flow: {string.Join(", ", catalogued)} ({problems})"));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
