using System.Net;
using System.Net.Sockets;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>Loopback ports for servers started by tests.</summary>
public static class FreePort
{
    // Ports come from just below the OS's ephemeral range. A port the OS hands out (bind to 0) is from that range, and
    // the OS may give the same one to an outgoing connection before the server that was meant to have it binds:
    // "address already in use" at random. Below the range, only servers that ask for a port by number can take it.
    private static readonly (int Low, int Count) Range = BelowEphemeral();
    private static int _next = Random.Shared.Next(Range.Count); // each test process starts elsewhere in the range

    /// <summary>A port on 127.0.0.1 that is free now and that the OS will not hand to an outgoing connection.</summary>
    public static int Next()
    {
        for (var tried = 0; tried < Range.Count; tried++)
        {
            var port = Range.Low + (int)((uint)Interlocked.Increment(ref _next) % Range.Count);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"No free loopback port from {Range.Low} to {Range.Low + Range.Count - 1}.");
    }

    /// <summary>Runs <paramref name="start"/> with fresh ports until one binds (another process can take a port in between).</summary>
    public static async Task<T> RetryOnConflictAsync<T>(Func<int, Task<T>> start, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Next());
            }
            catch (IOException) when (attempt < attempts)
            {
                // address already in use: pick another port
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>10,000 ports ending 1,000 below the ephemeral range (Linux's default 32768–60999 gives 21768–31767).</summary>
    private static (int Low, int Count) BelowEphemeral()
    {
        const int count = 10_000;
        var ephemeralLow = 32_768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (text.Length > 0 && int.TryParse(text[0], out var low)) ephemeralLow = low;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return (Math.Max(1_024, ephemeralLow - 1_000 - count), count);
    }
}
