using System.Net;
using System.Net.Sockets;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>Loopback ports for servers started by tests.</summary>
public static class FreePort
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago (the OS picks it; callers retry on the rare race).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
}
