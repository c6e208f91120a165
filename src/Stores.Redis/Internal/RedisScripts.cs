using System;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Sessions;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// The Lua scripts behind every multi-key primitive. Each runs atomically on the server and costs one
/// round trip (EVALSHA; EVAL once after the server lost its script cache).
/// </summary>
/// <remarks>
/// Conventions shared by every script: <c>ARGV[1]</c> is the key prefix; user-owned keys are built as
/// <c>prefix {u:HASH}:suffix</c>, so every key a script touches shares the user's hash tag (one cluster
/// slot). Times are UTC ticks written as 19 decimal digits, so plain string comparison in Lua orders them
/// exactly (Lua numbers are doubles and cannot hold ticks exactly); the first 15 digits are whole
/// milliseconds since 0001-01-01, exact in a double, and serve as sorted-set scores and expiry maths.
/// A script called with the pointer key as <c>KEYS[1]</c> and an empty user hash resolves the pointer
/// itself (single server); in cluster mode the caller resolves it first and passes a user-slot key.
/// </remarks>
internal static class RedisScripts
{
    private const string Prelude = """
        local P = ARGV[1]
        local HL = 22
        local function uk(h, s) return P .. '{u:' .. h .. '}:' .. s end
        local function ms(t) return tonumber(string.sub(t, 1, 15)) end
        local function ttl(purge, now, grace)
          local d = ms(purge) - ms(now)
          if d < 0 then d = 0 end
          return d + grace
        end
        local function revoke_family(fk, reason, now)
          if redis.call('EXISTS', fk) == 0 or redis.call('HGET', fk, 'ra') then return false end
          redis.call('HSET', fk, 'ra', now, 'rr', reason)
          redis.call('HDEL', fk, 'sl')
          redis.call('HINCRBY', fk, 'v', 1)
          return true
        end
        local function revoke_session(h, sid, reason, now, grace)
          local sk = uk(h, 's:' .. sid)
          local f = redis.call('HMGET', sk, 'ra', 'ae')
          if not f[2] or f[1] then return false end
          redis.call('HSET', sk, 'ra', now, 'rr', reason)
          redis.call('HINCRBY', sk, 'v', 1)
          redis.call('PEXPIRE', sk, ttl(f[2], now, grace))
          redis.call('ZADD', uk(h, 'ss'), ms(f[2]), sid)
          for _, fid in ipairs(redis.call('ZRANGE', uk(h, 'fs'), 0, -1)) do
            local fk = uk(h, 'f:' .. fid)
            if redis.call('HGET', fk, 'sid') == sid then revoke_family(fk, reason, now) end
          end
          return true
        end
        local function is_live(sk, now)
          local f = redis.call('HMGET', sk, 'ra', 'ie', 'ae')
          return f[3] and not f[1] and now < f[2] and now < f[3]
        end
        local function insert_session(h, sid, ie, ae, now, grace, first)
          local sk = uk(h, 's:' .. sid)
          redis.call('HSET', sk, unpack(ARGV, first, #ARGV))
          local purge = ae
          if ie < ae then purge = ie end
          redis.call('PEXPIRE', sk, ttl(purge, now, grace))
          redis.call('ZADD', uk(h, 'ss'), ms(purge), sid)
        end

        """;

    /// <summary>KEYS: session, user index, [sid pointer]. ARGV: P, H, now, grace, max, mode, sid, ie, ae, fields...</summary>
    public static readonly RedisScript Create = new("""
        local h, now, grace = ARGV[2], ARGV[3], tonumber(ARGV[4])
        local max, mode, sid, ie, ae = tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8], ARGV[9]
        if redis.call('EXISTS', KEYS[1]) == 1 then return {-1} end
        local result = {1}
        if max > 0 then
          local live = {}
          for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
            local f = redis.call('HMGET', uk(h, 's:' .. id), 'ra', 'ie', 'ae', 'ls', 'ca')
            if not f[3] then
              redis.call('ZREM', KEYS[2], id)
            elseif not f[1] and now < f[2] and now < f[3] then
              live[#live + 1] = {id, f[4], f[5]}
            end
          end
          local excess = #live - max + 1
          if excess > 0 then
            if mode == '1' then return {0} end
            table.sort(live, function(a, b)
              if a[2] ~= b[2] then return a[2] < b[2] end
              if a[3] ~= b[3] then return a[3] < b[3] end
              return a[1] < b[1]
            end)
            for i = 1, excess do
              -- '2' is RevocationReason.Evicted
              revoke_session(h, live[i][1], '2', now, grace)
              result[#result + 1] = live[i][1]
            end
          end
        end
        insert_session(h, sid, ie, ae, now, grace, 10)
        if #KEYS >= 3 then redis.call('SET', KEYS[3], h, 'PX', ttl(ae, now, grace)) end
        return result
        """);

    /// <summary>KEYS: sid pointer. ARGV: P, sid.</summary>
    public static readonly RedisScript Find = new("""
        local h = redis.call('GET', KEYS[1])
        if not h then return {} end
        return redis.call('HGETALL', uk(h, 's:' .. ARGV[2]))
        """);

    /// <summary>KEYS: sid pointer | session. ARGV: P, H or '', sid, expected version, last seen, idle expiry, grace.</summary>
    public static readonly RedisScript Touch = new("""
        local h = ARGV[2]
        if h == '' then h = redis.call('GET', KEYS[1]) if not h then return 0 end end
        local sid, ls, ie = ARGV[3], ARGV[5], ARGV[6]
        local sk = uk(h, 's:' .. sid)
        local f = redis.call('HMGET', sk, 'ra', 'v', 'ae')
        if not f[3] or f[1] or f[2] ~= ARGV[4] then return 0 end
        redis.call('HSET', sk, 'ls', ls, 'ie', ie)
        redis.call('HINCRBY', sk, 'v', 1)
        local purge = f[3]
        if ie < purge then purge = ie end
        redis.call('PEXPIRE', sk, ttl(purge, ls, tonumber(ARGV[7])))
        redis.call('ZADD', uk(h, 'ss'), ms(purge), sid)
        return 1
        """);

    /// <summary>
    /// KEYS: sid pointer | session, [new sid pointer]. ARGV: P, H or '', current sid, expected version, now, grace,
    /// new H, new sid, ie, ae, fields... Returns 0 regenerated, 1 not found, 2 not live, 3 conflict, -1 duplicate.
    /// </summary>
    public static readonly RedisScript Regenerate = new("""
        local h = ARGV[2]
        if h == '' then h = redis.call('GET', KEYS[1]) if not h then return 1 end end
        local cur, now, grace = ARGV[3], ARGV[5], tonumber(ARGV[6])
        local nh, nsid, ie, ae = ARGV[7], ARGV[8], ARGV[9], ARGV[10]
        local f = redis.call('HMGET', uk(h, 's:' .. cur), 'ra', 'ie', 'ae', 'v')
        if not f[3] then return 1 end
        if f[1] or now >= f[2] or now >= f[3] then return 2 end
        if f[4] ~= ARGV[4] then return 3 end
        if redis.call('EXISTS', uk(nh, 's:' .. nsid)) == 1 then return -1 end
        revoke_session(h, cur, '1', now, grace) -- '1' is RevocationReason.Regenerated
        insert_session(nh, nsid, ie, ae, now, grace, 11)
        if #KEYS >= 2 then redis.call('SET', KEYS[2], nh, 'PX', ttl(ae, now, grace)) end
        return 0
        """);

    /// <summary>KEYS: sid pointer | session. ARGV: P, H or '', sid, reason, now, grace.</summary>
    public static readonly RedisScript Revoke = new("""
        local h = ARGV[2]
        if h == '' then h = redis.call('GET', KEYS[1]) if not h then return 0 end end
        if revoke_session(h, ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])) then return 1 end
        return 0
        """);

    /// <summary>KEYS: user index. ARGV: P, H, except sid or '', reason, now, grace. Returns the revoked ids.</summary>
    public static readonly RedisScript RevokeUser = new("""
        local h, except, reason, now, grace = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
        local out = {}
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if id ~= except and revoke_session(h, id, reason, now, grace) then out[#out + 1] = id end
        end
        return out
        """);

    /// <summary>KEYS: user index. ARGV: P, H, now. Returns one HGETALL reply per live session.</summary>
    public static readonly RedisScript ListUser = new("""
        local h, now = ARGV[2], ARGV[3]
        local out = {}
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local sk = uk(h, 's:' .. id)
          if redis.call('EXISTS', sk) == 0 then
            redis.call('ZREM', KEYS[1], id)
          elseif is_live(sk, now) then
            out[#out + 1] = redis.call('HGETALL', sk)
          end
        end
        return out
        """);

    /// <summary>
    /// KEYS: family, [token pointer, family pointer]. ARGV: P, H, now, grace, fid, sid, ae, token hash, fields...
    /// Returns 1 created, 0 session not live, -1 duplicate.
    /// </summary>
    public static readonly RedisScript CreateFamily = new("""
        local h, now, grace, fid, sid, ae = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
        if not is_live(uk(h, 's:' .. sid), now) then return 0 end
        if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
        if #KEYS >= 3 and (redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1) then return -1 end
        redis.call('HSET', KEYS[1], unpack(ARGV, 9, #ARGV))
        local t = ttl(ae, now, grace)
        redis.call('PEXPIRE', KEYS[1], t)
        redis.call('ZADD', uk(h, 'fs'), ms(ae), fid)
        if #KEYS >= 3 then
          redis.call('SET', KEYS[2], h .. fid, 'PX', t)
          redis.call('SET', KEYS[3], h, 'PX', t)
        end
        return 1
        """);

    /// <summary>KEYS: token pointer. ARGV: P.</summary>
    public static readonly RedisScript FindFamily = new("""
        local v = redis.call('GET', KEYS[1])
        if not v then return {} end
        return redis.call('HGETALL', uk(string.sub(v, 1, HL), 'f:' .. string.sub(v, HL + 1)))
        """);

    /// <summary>
    /// KEYS: presented token pointer | family, [successor pointer]. ARGV: P, pointer value or '', presented,
    /// successor, sealed successor, successor idle expiry, now, grace. Returns {status, family fields}.
    /// </summary>
    public static readonly RedisScript Redeem = new("""
        local v = ARGV[2]
        if v == '' then v = redis.call('GET', KEYS[1]) if not v then return {0} end end
        local h, fid = string.sub(v, 1, HL), string.sub(v, HL + 1)
        local fk = uk(h, 'f:' .. fid)
        local pres, now, grace = ARGV[3], ARGV[7], tonumber(ARGV[8])
        local f = redis.call('HMGET', fk, 'cur', 'prev', 'spn', 'ra', 'cie', 'ae', 'sid')
        if not f[1] then return {0} end
        local found = f[1] == pres or f[2] == pres
        if not found then
          for i = 1, tonumber(f[3] or '0') do
            if redis.call('HGET', fk, 'sp:' .. i) == pres then found = true break end
          end
        end
        if not found then return {0} end
        local status = 1
        if f[4] then status = 3
        elseif f[1] ~= pres then status = 2
        elseif now >= f[5] or now >= f[6] then status = 4
        else
          local s = redis.call('HMGET', uk(h, 's:' .. f[7]), 'ra', 'ae', 'ie')
          if not s[2] or not s[3] or s[1] or now >= s[2] or now >= s[3] then status = 5 end
        end
        if status ~= 1 then return {status, redis.call('HGETALL', fk)} end
        if #KEYS >= 2 and redis.call('EXISTS', KEYS[2]) == 1 then return {-1} end
        if f[2] then
          local n = tonumber(f[3] or '0') + 1
          redis.call('HSET', fk, 'sp:' .. n, f[2], 'spn', n)
        end
        local cie = ARGV[6]
        if f[6] < cie then cie = f[6] end
        redis.call('HSET', fk, 'prev', pres, 'rat', now, 'cur', ARGV[4], 'cia', now, 'cie', cie)
        if ARGV[5] == '' then redis.call('HDEL', fk, 'sl') else redis.call('HSET', fk, 'sl', ARGV[5]) end
        redis.call('HINCRBY', fk, 'g', 1)
        redis.call('HINCRBY', fk, 'v', 1)
        if #KEYS >= 2 then redis.call('SET', KEYS[2], v, 'PX', ttl(f[6], now, grace)) end
        return {1, redis.call('HGETALL', fk)}
        """);

    /// <summary>KEYS: family pointer | family. ARGV: P, H or '', fid, reason, now.</summary>
    public static readonly RedisScript RevokeFamily = new("""
        local h = ARGV[2]
        if h == '' then h = redis.call('GET', KEYS[1]) if not h then return 0 end end
        if revoke_family(uk(h, 'f:' .. ARGV[3]), ARGV[4], ARGV[5]) then return 1 end
        return 0
        """);

    /// <summary>KEYS: security hash, device index. ARGV: P, H. Returns {epoch, {device fields}...}.</summary>
    public static readonly RedisScript GetUser = new("""
        local out = {redis.call('HGET', KEYS[1], 'ep') or '0'}
        for _, key in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          local d = redis.call('HGETALL', uk(ARGV[2], 'd:' .. key))
          if #d > 0 then out[#out + 1] = d end
        end
        return out
        """);

    /// <summary>KEYS: device index. ARGV: P, H, key, max, last seen, fields... Returns 1 when the device is new.</summary>
    public static readonly RedisScript RememberDevice = new("""
        local h, key, max, ls = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
        local dk = uk(h, 'd:' .. key)
        local new = redis.call('EXISTS', dk) == 0
        if new then redis.call('HSET', dk, unpack(ARGV, 6, #ARGV)) else redis.call('HSET', dk, 'ls', ls) end
        redis.call('ZADD', KEYS[1], ms(ls), key)
        local n = redis.call('ZCARD', KEYS[1])
        if n > max then
          -- Scores are whole milliseconds and ties sort by name, so the device just seen could sort first: never drop it.
          local drop = n - max
          for _, old in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
            if drop == 0 then break end
            if old ~= key then
              redis.call('DEL', uk(h, 'd:' .. old))
              redis.call('ZREM', KEYS[1], old)
              drop = drop - 1
            end
          end
        end
        if new then return 1 end
        return 0
        """);

    /// <summary>
    /// KEYS: user session index, user family index. ARGV: P, H, now, '1' to delete pointer keys here (single server).
    /// Returns {deleted count, pointer keys left for the caller...}.
    /// </summary>
    public static readonly RedisScript PurgeUser = new("""
        local h, now, here = ARGV[2], ARGV[3], ARGV[4] == '1'
        local limit = ms(now)
        local removed, pointers = 0, {}
        local function unlink(k) if here then redis.call('DEL', k) else pointers[#pointers + 1] = k end end
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', limit)) do
          local sk = uk(h, 's:' .. id)
          local f = redis.call('HMGET', sk, 'ra', 'ie', 'ae')
          if not f[3] then
            redis.call('ZREM', KEYS[1], id)
          elseif now >= f[3] or (not f[1] and now >= f[2]) then
            redis.call('DEL', sk)
            redis.call('ZREM', KEYS[1], id)
            unlink(P .. 'sid:' .. id)
            removed = removed + 1
          end
        end
        for _, fid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', limit)) do
          local fk = uk(h, 'f:' .. fid)
          local f = redis.call('HMGET', fk, 'ae', 'cur', 'prev', 'spn')
          if not f[1] then
            redis.call('ZREM', KEYS[2], fid)
          elseif now >= f[1] then
            unlink(P .. 'rt:' .. f[2])
            if f[3] then unlink(P .. 'rt:' .. f[3]) end
            for i = 1, tonumber(f[4] or '0') do unlink(P .. 'rt:' .. redis.call('HGET', fk, 'sp:' .. i)) end
            unlink(P .. 'fam:' .. fid)
            redis.call('DEL', fk)
            redis.call('ZREM', KEYS[2], fid)
            removed = removed + 1
          end
        end
        local out = {removed}
        for _, k in ipairs(pointers) do out[#out + 1] = k end
        return out
        """);

    /// <summary>A script's text and its SHA-1 (the server's script-cache name for it).</summary>
    internal sealed class RedisScript
    {
        public RedisScript(string body)
        {
            Text = Prelude + body;
#pragma warning disable CA5350 // SHA-1 is how Redis names cached scripts (EVALSHA); no security rests on it.
            Hash = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
#pragma warning restore CA5350
        }

        public string Text { get; }

        public byte[] Hash { get; }
    }
}
