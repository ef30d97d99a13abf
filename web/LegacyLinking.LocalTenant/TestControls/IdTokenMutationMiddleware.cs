using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// Post-processes <c>/oauth/token</c> authorization_code responses while a mutation is queued: OpenIddict issues the
/// tokens as usual, then the response's <c>id_token</c> (the one the app reads) is replaced by its mutated form.
/// Nothing is buffered while the queue is empty.
/// </summary>
public sealed class IdTokenMutationMiddleware(RequestDelegate next, IdTokenMutations mutations)
{
    // The mutator is per request: it signs with the issuer the request's address gives (ProxySetup).
    public async Task InvokeAsync(HttpContext http, IdTokenMutator mutator)
    {
        if (mutations.IsEmpty || !await IsCodeRedemptionAsync(http.Request))
        {
            await next(http);
            return;
        }

        await JsonResponseRewriter.RunAsync(http, next, json =>
        {
            if (json["id_token"]?.GetValue<string>() is not { } idToken || mutations.TryTake() is not { } mutation) return false;
            json["id_token"] = mutator.Apply(mutation, idToken);
            return true;
        });
    }

    private static async Task<bool> IsCodeRedemptionAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals("/oauth/token", StringComparison.OrdinalIgnoreCase)
            || !request.HasFormContentType)
            return false;
        try
        {
            // Read once here; the form stays cached on the request for OpenIddict.
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form["grant_type"] == "authorization_code";
        }
        catch (InvalidDataException)
        {
            return false; // malformed: OpenIddict rejects it and there is no ID token to change
        }
    }
}
