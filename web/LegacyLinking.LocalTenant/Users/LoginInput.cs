using System.Text.RegularExpressions;

namespace LegacyLinking.LocalTenant.Users;

/// <summary>Limits on what the login forms accept; anything outside them is answered with a 400 and a message.</summary>
public static partial class LoginInput
{
    public const int MaxEmailLength = 254;
    public const int MaxPasswordLength = 128;
    public const int MinPasswordLength = 8;

    public static string? EmailProblem(string? email) =>
        string.IsNullOrWhiteSpace(email) ? "Enter your email address."
        : email.Length > MaxEmailLength ? $"Email addresses are at most {MaxEmailLength} characters."
        : !EmailPattern().IsMatch(email) ? "Enter a valid email address."
        : null;

    public static string? PasswordProblem(string? password) =>
        string.IsNullOrEmpty(password) ? "Enter your password."
        : password.Length > MaxPasswordLength ? $"Passwords are at most {MaxPasswordLength} characters."
        : null;

    /// <summary>Auth0's "fair" password policy: 8+ characters with a lower-case letter, an upper-case letter and a digit.</summary>
    public static string? NewPasswordProblem(string? password) =>
        PasswordProblem(password)
        ?? (password!.Length < MinPasswordLength || !password.Any(char.IsLower) || !password.Any(char.IsUpper) || !password.Any(char.IsDigit)
            ? $"Passwords need at least {MinPasswordLength} characters with a lower-case letter, an upper-case letter and a digit."
            : null);

    public static string? PhoneProblem(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? "Enter your phone number."
        : !PhonePattern().IsMatch(phone) ? "Enter the phone number in international format, e.g. +14258831929."
        : null;

    public static string? CodeProblem(string? code) =>
        string.IsNullOrWhiteSpace(code) ? "Enter the code."
        : !CodePattern().IsMatch(code) ? "The code is 6 digits."
        : null;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    /// <summary>E.164.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
