using System.Security.Claims;
using LegacyLinking.Web.Authentication;
using Microsoft.FeatureManagement.FeatureFilters;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Targets by the Auth0 <c>sub</c> (not the display name) and the groups claim the tenant's post-login Action adds,
/// so allocation is sticky per user and QA can be targeted as the <c>qa</c> group.
/// </summary>
public sealed class QaTargetingContextAccessor(IHttpContextAccessor http) : ITargetingContextAccessor
{
    public ValueTask<TargetingContext> GetContextAsync()
    {
        var user = http.HttpContext?.User;
        return ValueTask.FromResult(new TargetingContext
        {
            UserId = user?.FindFirstValue("sub"),
            Groups = user?.FindAll(AuthorizationPolicies.GroupsClaim).Select(c => c.Value).ToList() ?? [],
        });
    }
}
