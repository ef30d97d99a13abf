using System.Linq.Expressions;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management.Users;

/// <summary><c>/api/v2/users…</c>: read, search, create, update and delete users, with Auth0's scopes and errors.</summary>
public static partial class UsersEndpoints
{
    /// <summary>Auth0 pages through at most the first 1000 search results.</summary>
    public const int MaxSearchResults = 1000;

    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/users/{id}", GetAsync)
            .Operation("Get a user", [ReadUsers], ownUser: [ReadCurrentUser], idToken: true);
        api.MapPatch("/users/{id}", UpdateAsync)
            .Operation("Update a user", [UpdateUsers, UpdateUsersAppMetadata], ownUser: [UpdateCurrentUserMetadata, CreateCurrentUserMetadata], idToken: true);
        api.MapDelete("/users/{id}", DeleteAsync).Operation("Delete a user", [DeleteUsers]);
        api.MapPost("/users", CreateAsync).Operation("Create a user", [CreateUsers]);
        api.MapGet("/users-by-email", ByEmailAsync).Operation("Get users by email", [ReadUsers]);
        api.MapGet("/users", SearchAsync).Operation("Search users", [ReadUsers]);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, TenantDbContext db)
    {
        var fields = new ManagementQuery(http.Request.Query, "fields", "include_fields").Fields();
        var user = await FindAsync(db, id, http.RequestAborted) ?? throw ManagementErrors.InexistentUser();
        // Auth0 returns IdP tokens on this call alone, and only to a token granted read:user_idp_tokens.
        var caller = ManagementCaller.Of(http);
        var idpTokens = caller.Has(ReadUserIdpTokens) && !caller.OwnUserOnly;
        return ManagementResults.Ok(fields.Apply(Auth0UserJson.User(user, idpTokens)));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, TenantDbContext db, UserEditor editor)
    {
        var body = await ManagementBody.ReadObjectAsync(http.Request, UserEditor.UpdatableProperties);
        UserEditor.CheckScopes(ManagementCaller.Of(http), body);
        var user = await FindAsync(db, id, http.RequestAborted) ?? throw ManagementErrors.InexistentUser();
        await editor.UpdateAsync(user, body, http.RequestAborted);
        return ManagementResults.Ok(Auth0UserJson.User(user));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, UserEditor editor)
    {
        var body = await ManagementBody.ReadObjectAsync(http.Request, UserEditor.CreatableProperties);
        var user = await editor.CreateAsync(body, http.RequestAborted);
        return ManagementResults.Ok(Auth0UserJson.User(user), StatusCodes.Status201Created);
    }

    /// <summary>204 whether or not the user existed, as Auth0; a primary's linked identities go with it.</summary>
    private static async Task<IResult> DeleteAsync(HttpContext http, string id, TenantDbContext db)
    {
        _ = new ManagementQuery(http.Request.Query);
        if (await FindAsync(db, id, http.RequestAborted) is { } user)
        {
            db.Users.Remove(user);
            await db.SaveChangesAsync(http.RequestAborted);
        }
        return Results.NoContent();
    }

    /// <summary>
    /// Immediately consistent, exact and case-sensitive match on the email as stored (lower-cased for database and
    /// passwordless users, as the provider sent it for social ones): Auth0 asks callers to search "using the correct
    /// case". A plain array.
    /// </summary>
    private static async Task<IResult> ByEmailAsync(HttpContext http, TenantDbContext db)
    {
        var query = new ManagementQuery(http.Request.Query, "email", "fields", "include_fields");
        var email = query.String("email");
        if (string.IsNullOrEmpty(email)) throw ManagementErrors.InvalidQuery("'Missing required property: email'.");
        if (LoginInput.EmailProblem(email) is not null)
            throw ManagementErrors.InvalidQuery($"'Object didn't pass validation for format email: {email}' on property email.");

        var fields = query.Fields();
        var users = await Users(db).Where(u => u.Email == email)
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.UserId).ToListAsync(http.RequestAborted);
        return ManagementResults.Ok(new JsonArray([.. users.Select(u => fields.Apply(Auth0UserJson.User(u)))]));
    }

    private static async Task<IResult> SearchAsync(HttpContext http, TenantDbContext db)
    {
        var query = new ManagementQuery(http.Request.Query,
            "q", "search_engine", "page", "per_page", "include_totals", "sort", "connection", "fields", "include_fields");
        if (query.String("search_engine") is { } engine && engine != "v3")
            throw ManagementErrors.InvalidQuery($"'No enum match for: \"{engine}\"' on property search_engine.");
        var search = UserSearchQuery.Parse(query.String("q"));
        var paging = Paging.From(query);
        if (paging.Skip + paging.PerPage > MaxSearchResults)
            throw ManagementErrors.InvalidQuery($"'You can only page through the first {MaxSearchResults} records.' on property page.");
        var fields = query.Fields();

        var users = Users(db);
        // User search matches email case-insensitively (users-by-email does not); search.Email is lower-case.
        if (search.Email is { } email) users = users.Where(u => u.Email != null && u.Email.ToLower() == email);
        // A user without an email has no email_verified field to match, as in Auth0's index.
        if (search.EmailVerified is { } verified) users = users.Where(u => u.Email != null && u.EmailVerified == verified);
        foreach (var excluded in search.ExcludedUserIds) users = users.Where(u => u.UserId != excluded);
        if (query.String("connection") is { } connection) users = users.Where(u => u.Identities.Any(i => i.Connection == connection));

        var total = await users.CountAsync(http.RequestAborted);
        var page = await Sorted(users, query.String("sort")).Skip(paging.Skip).Take(paging.PerPage).ToListAsync(http.RequestAborted);
        return ManagementResults.Ok(paging.Envelope("users", [.. page.Select(u => fields.Apply(Auth0UserJson.User(u)))], total));
    }

    private static IQueryable<TenantUser> Users(TenantDbContext db) => db.Users.AsNoTracking().Include(u => u.Identities);

    private static Task<TenantUser?> FindAsync(TenantDbContext db, string id, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.Identities).SingleOrDefaultAsync(u => u.UserId == id, cancellationToken);

    /// <summary>Auth0's <c>sort=field:1|-1</c> over the fields this tenant stores; by creation otherwise.</summary>
    private static IQueryable<TenantUser> Sorted(IQueryable<TenantUser> users, string? sort)
    {
        if (sort is null) return users.OrderBy(u => u.CreatedAt).ThenBy(u => u.UserId);
        var match = SortPattern().Match(sort);
        if (!match.Success)
            throw ManagementErrors.InvalidQuery($"'String does not match pattern ^(\\w+):(1|-1)$: {sort}' on property sort.");
        var descending = match.Groups[2].Value == "-1";
        return match.Groups[1].Value switch
        {
            "user_id" => Order(users, u => u.UserId, descending),
            "email" => Order(users, u => u.Email, descending).ThenBy(u => u.UserId),
            "name" => Order(users, u => u.Name, descending).ThenBy(u => u.UserId),
            "created_at" => Order(users, u => u.CreatedAt, descending).ThenBy(u => u.UserId),
            "updated_at" => Order(users, u => u.UpdatedAt, descending).ThenBy(u => u.UserId),
            "last_login" => Order(users, u => u.LastLogin, descending).ThenBy(u => u.UserId),
            "logins_count" => Order(users, u => u.LoginsCount, descending).ThenBy(u => u.UserId),
            var other => throw ManagementErrors.InvalidQuery($"'Sorting by {other} is not supported' on property sort."),
        };
    }

    private static IOrderedQueryable<TenantUser> Order<TKey>(
        IQueryable<TenantUser> users, Expression<Func<TenantUser, TKey>> key, bool descending) =>
        descending ? users.OrderByDescending(key) : users.OrderBy(key);

    [GeneratedRegex(@"^(\w+):(1|-1)$", RegexOptions.CultureInvariant)]
    private static partial Regex SortPattern();
}
