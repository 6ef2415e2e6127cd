package api

import "github.com/gin-gonic/gin"

// Test hooks for the api_test package.

// Engine is the server's router, for tests that add a route of their own.
func (s *Server) Engine() *gin.Engine { return s.engine }

// OpenAPISpec is the embedded spec.
var OpenAPISpec = openapiSpec
