using System.Text.Json;
using LegacyLinking.LocalTenant.ApiErrors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LegacyLinking.LocalTenant.AuthenticationApi;

/// <summary>
/// The string parameters of an Authentication API POST (<c>/unlink</c>, <c>/dbconnections/change_password</c>): Auth0
/// takes them as a JSON object or a form alike. Anything else is refused in the Authentication API's error shape.
/// </summary>
public sealed class AuthenticationRequest
{
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, string?> _values;

    private AuthenticationRequest(Dictionary<string, string?> values) => _values = values;

    /// <summary>The parameter's value; null when it was not sent (or sent empty in a form).</summary>
    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>Reads the <paramref name="names"/> parameters; the problem is a 400 (or 413 when too large) to answer with.</summary>
    public static async Task<(AuthenticationRequest? Request, IResult? Problem)> ReadAsync(HttpRequest request, params string[] names)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                return (new AuthenticationRequest(names.ToDictionary(n => n, n => NullIfEmpty(form[n].ToString()))), null);
            }
            if (!request.HasJsonContentType())
                return (null, AuthenticationErrors.InvalidRequest("Send the body as application/json or application/x-www-form-urlencoded."));

            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return (null, AuthenticationErrors.InvalidRequest("The body must be a JSON object."));
            return (new AuthenticationRequest(names.ToDictionary(n => n, n => Text(json.RootElement, n))), null);
        }
        catch (JsonException)
        {
            return (null, AuthenticationErrors.InvalidRequest("The body is not valid JSON."));
        }
        catch (InvalidOperationException)
        {
            return (null, AuthenticationErrors.InvalidRequest("A parameter is sent twice or is not a string."));
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (InvalidDataException)
        {
            return (null, AuthenticationErrors.InvalidRequest("The form is malformed or too large."));
        }
    }

    /// <summary>A string property; a value of another type is refused (<see cref="InvalidOperationException"/>).</summary>
    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static IResult TooLarge() => AuthenticationErrors.Error(
        StatusCodes.Status413PayloadTooLarge, "invalid_request", $"The request body is larger than {MaxBodyBytes} bytes.");
}
